using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Erasure;

/// <summary>
/// Ends legal holds: once an erased subject's legal-hold key group reaches its retention date
/// (e.g. 10 years for invoices), its data key is shredded like the rest were, and its ciphertexts
/// queued for the same background purge (<see cref="CiphertextPurge"/>).
/// </summary>
internal sealed class RetentionService(VaultWriter writer, DataKeyCache keyCache, TimeProvider time, ILogger<RetentionService> logger)
{
    /// <returns>How many data keys were shredded.</returns>
    public async Task<int> ShredExpiredAsync(CancellationToken cancellationToken)
    {
        var shredded = await writer.WriteAsync(new ShredExpiredKeysWrite(keyCache, time), cancellationToken);

        // Also after a sweep that shredded nothing: ciphertexts queued by another process, or left by
        // a purge that failed, are picked up here.
        writer.SchedulePurge();
        if (shredded > 0)
        {
            Log.RetainedKeysShredded(logger, shredded);
        }

        return shredded;
    }
}

/// <summary>
/// GDPR Art. 17(3)(b) ends: the data keys whose legal hold has run out are deleted (the writer's connection
/// overwrites what it deletes) and their ciphertexts queued for the purge, in the writer's transaction like an
/// erasure, and like an erasure the write-ahead log is truncated before the sweep is answered.
/// </summary>
internal sealed class ShredExpiredKeysWrite(DataKeyCache keyCache, TimeProvider time) : VaultWrite<int>
{
    private readonly List<(string SubjectId, string KeyGroup)> _shredded = [];

    protected override int Execute(VaultWriteContext context)
    {
        _shredded.Clear();
        var now = time.GetUtcNow();

        // Instants are stored as fixed-width UTC text, so this comparison runs in SQL on the index.
        using (var reader = context.Query("SELECT subject_id, key_group FROM data_keys WHERE retain_until IS NOT NULL AND retain_until <= $1;", now))
        {
            while (reader.Read())
            {
                _shredded.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        foreach (var (subjectId, keyGroup) in _shredded)
        {
            context.Execute("DELETE FROM data_keys WHERE subject_id = $1 AND key_group = $2;", subjectId, keyGroup);
            CiphertextPurge.Enqueue(context, subjectId, keyGroup, now);
        }

        if (_shredded.Count > 0)
        {
            context.MarkErasure();
        }

        return _shredded.Count;
    }

    /// <summary>A shredded key must not outlive its row in memory.</summary>
    protected override void OnCommitted(int result)
    {
        foreach (var (subjectId, keyGroup) in _shredded)
        {
            keyCache.Evict(subjectId, keyGroup);
        }
    }
}
