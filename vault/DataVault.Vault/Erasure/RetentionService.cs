using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Erasure;

/// <summary>
/// Ends legal holds: once an erased subject's legal-hold key group reaches its retention date
/// (e.g. 10 years for invoices), its data key is shredded like the rest were, and its ciphertexts
/// queued for the same background purge (<see cref="CiphertextPurge"/>).
/// </summary>
internal sealed class RetentionService(VaultDbContext db, DataKeyStore keys, VaultWriter writer, TimeProvider time, ILogger<RetentionService> logger)
{
    /// <returns>How many data keys were shredded.</returns>
    public async Task<int> ShredExpiredAsync(CancellationToken cancellationToken)
    {
        // A transaction of its own between the writer's batches, instead of contending for the write lock.
        using var write = await writer.EnterAsync(cancellationToken);
        var now = time.GetUtcNow();
        List<DataKeyRecord> expired;
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await VaultStorage.EnableSecureDeleteAsync(db, cancellationToken);
            // Instants are stored as fixed-width UTC text, so this comparison runs in SQL on the index.
            expired = await db.DataKeys.Where(k => k.RetainUntil != null && k.RetainUntil <= now).ToListAsync(cancellationToken);
            foreach (var key in expired)
            {
                db.DataKeys.Remove(key);
                db.CiphertextPurges.Add(new CiphertextPurgeRecord { SubjectId = key.SubjectId, KeyGroup = key.KeyGroup, QueuedAt = now });
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        foreach (var key in expired)
        {
            keys.Evict(key.SubjectId, [key.KeyGroup]);
        }

        // Also after a sweep that shredded nothing: ciphertexts queued by another process, or left by
        // a purge that failed, are picked up here.
        writer.SchedulePurge();

        if (expired.Count > 0)
        {
            await VaultStorage.TruncateWriteAheadLogAsync(db, logger, cancellationToken);
            Log.RetainedKeysShredded(logger, expired.Count);
        }

        return expired.Count;
    }
}
