using System.Globalization;
using System.Text;
using DataVault.Policies;
using DataVault.Vault.Changes;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Subjects;

/// <summary>A data key made for a key group in the request, stored by the writer with its wrapped form.</summary>
internal sealed record NewDataKey(string KeyGroup, DataKey Key, byte[] WrappedKey)
{
    /// <summary>Generates a key for the subject's group and wraps it with the key-encryption key.</summary>
    public static NewDataKey Generate(KeyEncryptionKey kek, string subjectId, string keyGroup)
    {
        ArgumentNullException.ThrowIfNull(kek);
        var key = DataKey.Generate();
        return new NewDataKey(keyGroup, key, kek.Wrap(key, subjectId, keyGroup));
    }
}

/// <summary>One encrypted field version ready to insert.</summary>
internal sealed record NewFieldVersion(string Field, int Version, string KeyGroup, byte[] Ciphertext);

/// <summary>The keyed digest of a searchable field's new value.</summary>
internal sealed record NewIndexEntry(string Field, byte[] Digest);

/// <summary>Statements on subject rows shared by the queued changes.</summary>
internal static class SubjectRows
{
    /// <summary>Whether the subject exists and is not erased, read inside the writer's transaction.</summary>
    public static VaultOutcome Check(VaultWriteContext context, string subjectId) =>
        context.Scalar("SELECT erased_at IS NOT NULL FROM subjects WHERE id = $1;", subjectId) switch
        {
            null => VaultOutcome.NotFound,
            0L => VaultOutcome.Ok,
            _ => VaultOutcome.Gone,
        };

    public static void InsertKey(VaultWriteContext context, string subjectId, NewDataKey key, DateTimeOffset now) =>
        context.Execute(
            "INSERT INTO data_keys (subject_id, key_group, wrapped_key, created_at) VALUES ($1, $2, $3, $4);",
            subjectId,
            key.KeyGroup,
            key.WrappedKey,
            now);

    public static void InsertVersion(VaultWriteContext context, string subjectId, NewFieldVersion version, DateTimeOffset now) =>
        context.Execute(
            "INSERT INTO field_values (subject_id, field, version, key_group, ciphertext, created_at) VALUES ($1, $2, $3, $4, $5, $6);",
            subjectId,
            version.Field,
            version.Version,
            version.KeyGroup,
            version.Ciphertext,
            now);

    /// <summary>The names of the fields the subject holds a value of, in name order, read inside the writer's transaction.</summary>
    /// <remarks>
    /// One primary-key seek per field, from each name to the next, so a long history of versions costs nothing:
    /// a plain <c>DISTINCT</c> would visit every version.
    /// </remarks>
    public static IReadOnlyList<string> StoredFields(VaultWriteContext context, string subjectId)
    {
        var fields = new List<string>();
        using var reader = context.Query(
            """
            WITH RECURSIVE stored (field) AS (
                SELECT MIN(field) FROM field_values WHERE subject_id = $1
                UNION ALL
                SELECT (SELECT MIN(field) FROM field_values WHERE subject_id = $1 AND field > stored.field) FROM stored WHERE stored.field IS NOT NULL)
            SELECT field FROM stored WHERE field IS NOT NULL;
            """,
            subjectId);
        while (reader.Read())
        {
            fields.Add(reader.GetString(0));
        }

        return fields;
    }

    /// <summary>The blind index holds the digest of the latest value only.</summary>
    public static void UpsertIndex(VaultWriteContext context, string subjectId, NewIndexEntry entry) =>
        context.Execute(
            "INSERT INTO blind_index (subject_id, field, digest) VALUES ($1, $2, $3) ON CONFLICT (subject_id, field) DO UPDATE SET digest = excluded.digest;",
            subjectId,
            entry.Field,
            entry.Digest);
}

/// <summary>
/// A new subject, fully prepared in the request (keys generated and wrapped, every field encrypted as
/// version 1, digests computed): the writer only inserts its rows. Its keys enter the data-key cache
/// once they are committed, so a read right after the create does not unwrap them again.
/// </summary>
internal sealed class CreateSubjectWrite(
    string subjectId,
    DateTimeOffset now,
    IReadOnlyList<NewDataKey> keys,
    IReadOnlyList<NewFieldVersion> versions,
    IReadOnlyList<NewIndexEntry> index,
    DataKeyCache cache) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        context.Execute(
            "INSERT INTO subjects (id, status, created_at, updated_at) VALUES ($1, $2, $3, $3);",
            subjectId,
            SubjectService.StatusText(SubjectStatus.Active),
            now);
        foreach (var key in keys)
        {
            SubjectRows.InsertKey(context, subjectId, key, now);
        }

        foreach (var version in versions)
        {
            SubjectRows.InsertVersion(context, subjectId, version, now);
        }

        foreach (var entry in index)
        {
            SubjectRows.UpsertIndex(context, subjectId, entry);
        }

        return true;
    }

    protected override void OnCommitted(bool result)
    {
        foreach (var key in keys)
        {
            cache.SetCommitted(subjectId, key.KeyGroup, key.Key);
        }
    }
}

/// <summary>
/// GDPR Art. 16: a new version of each given field. The version numbers (and so the encryption,
/// whose associated data binds the version) are decided inside the transaction; the keys come from
/// the request — found there, or made there for a group the subject has no key in yet — and are
/// checked against the stored ones, since another change may have added a key in between.
/// </summary>
internal sealed class RectifySubjectWrite(
    string subjectId,
    IReadOnlyDictionary<string, string> canonical,
    PolicyCatalogue catalogue,
    IReadOnlyDictionary<string, DataKey> found,
    IReadOnlyDictionary<string, NewDataKey> made,
    IReadOnlyList<NewIndexEntry> index,
    KeyEncryptionKey kek,
    DataKeyCache cache,
    TimeProvider time) : VaultWrite<VaultOutcome>
{
    private readonly List<NewDataKey> _stored = [];

    protected override VaultOutcome Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject;
        }

        var now = time.GetUtcNow();
        var stored = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using (var reader = context.Query("SELECT key_group, wrapped_key FROM data_keys WHERE subject_id = $1;", subjectId))
        {
            while (reader.Read())
            {
                stored[reader.GetString(0)] = (byte[])reader.GetValue(1);
            }
        }

        var latest = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = context.Query("SELECT field, MAX(version) FROM field_values WHERE subject_id = $1 GROUP BY field;", subjectId))
        {
            while (reader.Read())
            {
                latest[reader.GetString(0)] = reader.GetInt32(1);
            }
        }

        var keys = new Dictionary<string, DataKey>(StringComparer.Ordinal);
        foreach (var (name, json) in canonical.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var group = catalogue.Fields[name].KeyGroup;
            if (!keys.TryGetValue(group, out var key))
            {
                key = KeyFor(context, group, stored, now);
                keys[group] = key;
            }

            var version = latest.GetValueOrDefault(name) + 1;
            SubjectRows.InsertVersion(
                context,
                subjectId,
                new NewFieldVersion(name, version, group, FieldCipher.Encrypt(key, subjectId, name, version, Encoding.UTF8.GetBytes(json))),
                now);
        }

        foreach (var entry in index)
        {
            SubjectRows.UpsertIndex(context, subjectId, entry);
        }

        context.Execute("UPDATE subjects SET updated_at = $2 WHERE id = $1;", subjectId, now);

        // Names only: recipients refetch the values through the release rule, never from the feed.
        context.Changed(ChangeFacts.ForFields(ChangeTypes.SubjectRectified, subjectId, canonical.Keys, catalogue));
        return VaultOutcome.Ok;
    }

    protected override bool Keeps(VaultOutcome result) => result == VaultOutcome.Ok;

    protected override void OnCommitted(VaultOutcome result)
    {
        foreach (var key in _stored)
        {
            cache.SetCommitted(subjectId, key.KeyGroup, key.Key);
        }
    }

    /// <summary>The group's key: the stored one (a key never changes while its row exists), else the one made in the request, stored now.</summary>
    private DataKey KeyFor(VaultWriteContext context, string group, Dictionary<string, byte[]> stored, DateTimeOffset now)
    {
        if (stored.TryGetValue(group, out var wrapped))
        {
            // Found in the request, or added by another change since: unwrapped here, which is rare.
            return found.TryGetValue(group, out var key) ? key : kek.Unwrap(wrapped, subjectId, group);
        }

        var fresh = made.TryGetValue(group, out var prepared)
            ? prepared
            : NewDataKey.Generate(kek, subjectId, group);
        SubjectRows.InsertKey(context, subjectId, fresh, now);
        _stored.Add(fresh);
        return fresh.Key;
    }
}

/// <summary>
/// GDPR Art. 17 by crypto-shredding, inside the batch's transaction: the data keys of every group
/// without a legal hold go, with the blind index, the consent, objection and restriction events and
/// whatever the <see cref="IErasureStep"/>s remove; legal-hold keys are kept until their retention
/// ends. The subject row stays as a tombstone with a receipt. The writer truncates the write-ahead log
/// before the erasure is acknowledged.
/// </summary>
/// <remarks>
/// The shredded groups' ciphertexts, which nobody can decrypt once their key is gone, are queued for
/// <see cref="CiphertextPurge"/> rather than deleted here, so the erasure costs the same whatever the
/// length of the subject's history; the writer purges them right after, in the background.
/// </remarks>
internal sealed class EraseSubjectWrite(
    string subjectId,
    string requestedBy,
    PolicyCatalogue catalogue,
    IEnumerable<IErasureStep> erasureSteps,
    DataKeyStore keys,
    TimeProvider time) : VaultWrite<VaultResult<ErasureReceipt>>
{
    protected override VaultResult<ErasureReceipt> Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<ErasureReceipt>.Gone() : VaultResult<ErasureReceipt>.NotFound();
        }

        var now = time.GetUtcNow();

        // Read before anything goes: recipients must hear which fields they held (Art. 17(2), 19).
        var storedFields = SubjectRows.StoredFields(context, subjectId);
        var groups = new List<string>();
        using (var reader = context.Query("SELECT key_group FROM data_keys WHERE subject_id = $1 ORDER BY key_group;", subjectId))
        {
            while (reader.Read())
            {
                groups.Add(reader.GetString(0));
            }
        }

        var shredded = new List<string>();
        var retained = new List<RetainedKeyGroup>();
        foreach (var group in groups)
        {
            if (HeldUntil(context, group) is { } until && until > now)
            {
                context.Execute("UPDATE data_keys SET retain_until = $3 WHERE subject_id = $1 AND key_group = $2;", subjectId, group, until);
                retained.Add(new RetainedKeyGroup(group, until));
            }
            else
            {
                context.Execute("DELETE FROM data_keys WHERE subject_id = $1 AND key_group = $2;", subjectId, group);
                CiphertextPurge.Enqueue(context, subjectId, group, now);
                shredded.Add(group);
            }
        }

        context.Execute("DELETE FROM blind_index WHERE subject_id = $1;", subjectId);

        // Consent, objection and restriction events are the subject's personal decisions; only
        // erasure removes them. What stays provable is the erasure itself (receipt, tombstone).
        context.Execute("DELETE FROM consent_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM objection_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM restriction_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM relationship_events WHERE subject_id = $1;", subjectId);

        // Data linked to the subject outside these tables (the portal account) goes in this transaction too.
        foreach (var step in erasureSteps)
        {
            step.Erase(context, subjectId);
        }

        context.Execute(
            "UPDATE subjects SET status = $2, erased_at = $3, updated_at = $3 WHERE id = $1;",
            subjectId,
            SubjectService.StatusText(SubjectStatus.Erased),
            now);
        var receiptId = RecordId.New(time);
        context.Execute(
            """
            INSERT INTO erasure_receipts (id, subject_id, erased_at, requested_by, shredded_key_groups, retained_key_groups)
            VALUES ($1, $2, $3, $4, $5, $6);
            """,
            receiptId,
            subjectId,
            now,
            requestedBy,
            string.Join(',', shredded),
            string.Join(',', retained.Select(r => r.KeyGroup + "=" + r.RetainUntil.ToString("O", CultureInfo.InvariantCulture))));
        context.Changed(ChangeFacts.ForSubject(ChangeTypes.SubjectErased, subjectId, storedFields, catalogue));
        context.MarkErasure();
        return VaultResult<ErasureReceipt>.Ok(new ErasureReceipt(receiptId, subjectId, now, shredded, retained));
    }

    protected override bool Keeps(VaultResult<ErasureReceipt> result) => result.Outcome == VaultOutcome.Ok;

    /// <summary>
    /// GDPR Art. 17(3)(b): a legal hold is counted from the group's latest record (the invoice), not from the erasure;
    /// a hold already over lets the group go with the rest.
    /// </summary>
    private DateTimeOffset? HeldUntil(VaultWriteContext context, string group) =>
        context.Scalar("SELECT MAX(created_at) FROM field_values WHERE subject_id = $1 AND key_group = $2;", subjectId, group) is string recorded
            ? SubjectService.HeldUntil(catalogue, group, StoredInstant.Parse(recorded))
            : null;

    /// <summary>A shredded key must not outlive its row in memory.</summary>
    protected override void OnCommitted(VaultResult<ErasureReceipt> result)
    {
        if (result.Value is { } receipt)
        {
            keys.Evict(subjectId, receipt.ShreddedKeyGroups);
        }
    }
}
