using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Encryption;

/// <summary>Finds and caches a subject's data keys (new keys are made in the request and stored by the vault writer).</summary>
internal sealed class DataKeyStore(VaultDbContext db, KeyEncryptionKey kek, DataKeyCache cache)
{
    // Compiled once: most consented reads of a large vault miss the key cache and run it.
    private static readonly Func<VaultDbContext, string, string, CancellationToken, Task<DataKeyRecord?>> KeyOf =
        EF.CompileAsyncQuery((VaultDbContext db, string subjectId, string keyGroup, CancellationToken _) =>
            db.DataKeys.AsNoTracking().SingleOrDefault(k => k.SubjectId == subjectId && k.KeyGroup == keyGroup));

    /// <summary>The key of an existing group, or null when the group has no key (never written, or shredded).</summary>
    public async Task<DataKey?> FindAsync(string subjectId, string keyGroup, CancellationToken cancellationToken)
    {
        if (cache.TryGet(subjectId, keyGroup, out var cached))
        {
            return cached;
        }

        // Taken before the read, as the consented read does (ReleaseSnapshot): if an erasure commits and
        // evicts while this key is being read and unwrapped, it is used for this request only, never cached.
        var stamp = cache.EvictionStamp;
        var record = await KeyOf(db, subjectId, keyGroup, cancellationToken);
        if (record is null)
        {
            return null;
        }

        var key = kek.Unwrap(record.WrappedKey, subjectId, keyGroup);
        cache.Set(subjectId, keyGroup, key, stamp);
        return key;
    }

    public void Evict(string subjectId, IEnumerable<string> keyGroups)
    {
        foreach (var group in keyGroups)
        {
            cache.Evict(subjectId, group);
        }
    }
}
