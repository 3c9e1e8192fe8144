using DataVault.Vault.Storage;

namespace DataVault.Vault.Erasure;

/// <summary>
/// The ciphertexts of shredded key groups, deleted after the shredding rather than in it. An erasure
/// (and the retention sweep, when a legal hold ends) deletes the group's data key — from then on its
/// ciphertexts cannot be decrypted by anyone — and queues the group in <c>ciphertext_purges</c>; the
/// <see cref="VaultWriter"/> deletes the queued ciphertexts in chunks of at most
/// <see cref="RowsPerChunk"/> rows, each in a transaction of its own on its <c>secure_delete</c>
/// connection, and truncates the write-ahead log once the queue is empty. So an erasure costs the same
/// for a subject with ten field versions as for one with a thousand, and a long purge never holds the
/// write lock for long.
/// </summary>
internal static class CiphertextPurge
{
    /// <summary>The most ciphertext rows one purge transaction deletes.</summary>
    public const int RowsPerChunk = 2000;

    // Groups looked at per chunk; a chunk rarely needs more than one or two (a subject's whole history).
    private const int GroupsPerChunk = 64;

    /// <summary>Queues a shredded group's ciphertexts for deletion, inside the shredding transaction.</summary>
    public static void Enqueue(VaultWriteContext context, string subjectId, string keyGroup, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Execute(
            "INSERT INTO ciphertext_purges (subject_id, key_group, queued_at) VALUES ($1, $2, $3) ON CONFLICT (subject_id, key_group) DO NOTHING;",
            subjectId,
            keyGroup,
            now);
        context.MarkPurgeQueued();
    }

    /// <summary>
    /// Deletes up to <see cref="RowsPerChunk"/> queued ciphertexts inside the current transaction,
    /// dequeuing each group whose ciphertexts are all gone. Only rows of a queued (subject, key group)
    /// pair are touched: never another subject's, nor a group still held for legal retention.
    /// </summary>
    /// <returns>Whether groups remain queued.</returns>
    public static bool PurgeChunk(VaultWriteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var groups = new List<(string SubjectId, string KeyGroup)>();
        using (var reader = context.Query("SELECT subject_id, key_group FROM ciphertext_purges ORDER BY subject_id, key_group LIMIT $1;", GroupsPerChunk))
        {
            while (reader.Read())
            {
                groups.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        var budget = RowsPerChunk;
        foreach (var (subjectId, keyGroup) in groups)
        {
            var deleted = context.Execute(
                """
                DELETE FROM field_values WHERE (subject_id, field, version) IN (
                    SELECT subject_id, field, version FROM field_values WHERE subject_id = $1 AND key_group = $2 LIMIT $3);
                """,
                subjectId,
                keyGroup,
                budget);
            if (deleted == budget)
            {
                // The budget is spent; the group may have more rows, so it stays queued for the next chunk.
                return true;
            }

            context.Execute("DELETE FROM ciphertext_purges WHERE subject_id = $1 AND key_group = $2;", subjectId, keyGroup);
            budget -= deleted;
        }

        return groups.Count == GroupsPerChunk && context.Scalar("SELECT EXISTS (SELECT 1 FROM ciphertext_purges);") is 1L;
    }
}
