using System.Globalization;
using System.Text.Json;
using DataVault.Policies.Decisions;
using DataVault.Vault.Consents;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Release;

/// <summary>
/// Reads what the release rule decides on (<see cref="ReleaseSnapshot"/>), for the consented read, the purpose
/// export, the look-up and the consent state a customer or a client sees; <see cref="SubjectEvents"/> in the
/// policies derives the state from it. Every read is one SQL statement on a query-only connection, so it sees
/// one snapshot of the database: an erasure or a restriction committed while it runs cannot mix with the state
/// before it, and no transaction has to be begun and ended around it.
/// </summary>
/// <remarks>
/// Each statement returns one row per fact, the kind in the first column; <c>UNION ALL</c> keeps it one
/// statement, and every kind has the same columns in every statement, so one reader (<see cref="ReadRow"/>) takes
/// them all. The statements for several subjects add the subject id as the last column.
/// </remarks>
internal sealed class ReleaseLoader(VaultReadConnections reads, DataKeyCache keyCache)
{
    // The consented read of one subject for one purpose: every stored field's name, the ciphertexts of the
    // latest versions (kept for the fields the purpose lists) and the wrapped data keys.
    private const string OneSubjectSql = """
        SELECT 0, erased_at, NULL, NULL, NULL, NULL, NULL FROM subjects WHERE id = $subject
        UNION ALL
        SELECT 1, id, action, occurred_at, NULL, NULL, NULL FROM restriction_events WHERE subject_id = $subject
        UNION ALL
        SELECT 2, id, action, occurred_at, purpose_id, NULL, NULL FROM objection_events WHERE subject_id = $subject
        UNION ALL
        SELECT 3, id, state, occurred_at, purpose_id, purpose_version, expires_at FROM consent_events WHERE subject_id = $subject AND purpose_id = $purpose
        UNION ALL
        SELECT 4, field, version, created_at, key_group, ciphertext, NULL FROM field_values AS v
        WHERE subject_id = $subject AND version = (SELECT MAX(w.version) FROM field_values AS w WHERE w.subject_id = v.subject_id AND w.field = v.field)
        UNION ALL
        SELECT 5, key_group, wrapped_key, NULL, NULL, NULL, NULL FROM data_keys WHERE subject_id = $subject;
        """;

    // The subjects named by `ids` and their restriction and objection events, for the statements about several
    // subjects (the subject id last), and their consent events, to be narrowed by purpose.
    private const string SubjectsAndChoicesInIds = """
        SELECT 0, erased_at, NULL, NULL, NULL, NULL, NULL, id FROM subjects WHERE id IN ids
        UNION ALL
        SELECT 1, id, action, occurred_at, NULL, NULL, NULL, subject_id FROM restriction_events WHERE subject_id IN ids
        UNION ALL
        SELECT 2, id, action, occurred_at, purpose_id, NULL, NULL, subject_id FROM objection_events WHERE subject_id IN ids
        """;

    private const string ConsentsInIds = "SELECT 3, id, state, occurred_at, purpose_id, purpose_version, expires_at, subject_id FROM consent_events WHERE subject_id IN ids";

    // A page of the purpose export: the next live subjects by id after the cursor, and the latest version of
    // each field the purpose lists (the keys are found when a field is released).
    private const string PageSql = $"""
        WITH ids(id) AS (SELECT id FROM subjects WHERE erased_at IS NULL AND id > $cursor ORDER BY id LIMIT $scan)
        {SubjectsAndChoicesInIds}
        UNION ALL
        {ConsentsInIds} AND purpose_id = $purpose
        UNION ALL
        SELECT 4, field, version, created_at, key_group, ciphertext, NULL, subject_id FROM field_values AS v
        WHERE subject_id IN ids AND field IN (SELECT value FROM json_each($fields))
          AND version = (SELECT MAX(w.version) FROM field_values AS w WHERE w.subject_id = v.subject_id AND w.field = v.field);
        """;

    // Named subjects without their fields: the look-up (consents for one purpose) and the consent state (all purposes).
    private const string SubjectsSql = $"""
        WITH ids(id) AS (SELECT value FROM json_each($ids))
        {SubjectsAndChoicesInIds}
        UNION ALL
        {ConsentsInIds} AND ($purpose IS NULL OR purpose_id = $purpose);
        """;

    private const string PurposeVersionsSql = "SELECT purpose_id, version, effective_from FROM purpose_versions;";

    private const int SubjectRow = 0;
    private const int RestrictionRow = 1;
    private const int ObjectionRow = 2;
    private const int ConsentRow = 3;
    private const int FieldRow = 4;
    private const int KeyRow = 5;

    // The column of the subject id in the statements for several subjects.
    private const int SubjectColumn = 7;

    /// <summary>One subject for the consented read of <paramref name="purpose"/>: its consent events for that purpose, every stored field's name, the listed fields' latest versions and its data keys.</summary>
    public ReleaseSnapshot ReadOne(string subjectId, CompiledPurpose purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var snapshot = new ReleaseSnapshot(subjectId, keyCache.EvictionStamp);
        using (var connection = reads.Rent())
        {
            var command = connection.Command(OneSubjectSql, "$subject", "$purpose");
            command.Parameters[0].Value = subjectId;
            command.Parameters[1].Value = purpose.Id;
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                ReadRow(reader, snapshot, purpose);
            }
        }

        snapshot.Complete();
        return snapshot;
    }

    /// <summary>
    /// Up to <paramref name="scan"/> live subjects after <paramref name="cursor"/> in id order (ids are time-ordered
    /// UUIDv7), for the export of <paramref name="purpose"/>: their consent events for it and the latest version of
    /// each field it lists, and only those field names.
    /// </summary>
    public List<ReleaseSnapshot> ReadPage(CompiledPurpose purpose, string? cursor, int scan)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        var snapshots = new Dictionary<string, ReleaseSnapshot>(StringComparer.Ordinal);
        var stamp = keyCache.EvictionStamp;
        using (var connection = reads.Rent())
        {
            var command = connection.Command(PageSql, "$cursor", "$scan", "$purpose", "$fields");
            command.Parameters[0].Value = cursor ?? string.Empty;
            command.Parameters[1].Value = scan;
            command.Parameters[2].Value = purpose.Id;
            command.Parameters[3].Value = JsonSerializer.Serialize(purpose.Fields);
            Read(command, snapshots, stamp, purpose);
        }

        var page = snapshots.Values.ToList();
        page.Sort(static (a, b) => string.CompareOrdinal(a.SubjectId, b.SubjectId));
        return page;
    }

    /// <summary>
    /// The named subjects that exist, by id, without their fields: consent events for <paramref name="purposeId"/>,
    /// or for every purpose when it is null, and their restriction and objection events.
    /// </summary>
    public Dictionary<string, ReleaseSnapshot> ReadSubjects(IReadOnlyCollection<string> subjectIds, string? purposeId)
    {
        ArgumentNullException.ThrowIfNull(subjectIds);
        var snapshots = new Dictionary<string, ReleaseSnapshot>(StringComparer.Ordinal);
        if (subjectIds.Count == 0)
        {
            return snapshots;
        }

        using (var connection = reads.Rent())
        {
            var command = connection.Command(SubjectsSql, "$ids", "$purpose");
            command.Parameters[0].Value = JsonSerializer.Serialize(subjectIds);
            command.Parameters[1].Value = (object?)purposeId ?? DBNull.Value;
            Read(command, snapshots, keyCache.EvictionStamp, purpose: null);
        }

        return snapshots;
    }

    /// <summary>When each version of each purpose came into force (the service records it at start).</summary>
    public PurposeVersionHistory ReadPurposeVersions()
    {
        var versions = new List<PurposeVersionInForce>();
        using (var connection = reads.Rent())
        {
            using var reader = connection.Command(PurposeVersionsSql).ExecuteReader();
            while (reader.Read())
            {
                versions.Add(new PurposeVersionInForce(reader.GetString(0), reader.GetString(1), StoredInstant.Parse(reader.GetString(2))));
            }
        }

        return new PurposeVersionHistory(versions);
    }

    private void Read(SqliteCommand command, Dictionary<string, ReleaseSnapshot> snapshots, long stamp, CompiledPurpose? purpose)
    {
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                var subjectId = reader.GetString(SubjectColumn);
                if (!snapshots.TryGetValue(subjectId, out var snapshot))
                {
                    snapshot = new ReleaseSnapshot(subjectId, stamp);
                    snapshots[subjectId] = snapshot;
                }

                ReadRow(reader, snapshot, purpose);
            }
        }

        foreach (var snapshot in snapshots.Values)
        {
            snapshot.Complete();
        }
    }

    /// <summary>
    /// An objection event from a row whose columns 1 to 4 are <c>id, action, occurred_at, purpose_id</c>, as every
    /// statement here reads them (and the writer, which checks the objections in force inside its transaction).
    /// </summary>
    internal static ObjectionEvent ObjectionFrom(SqliteDataReader reader) => new(
        reader.GetString(1),
        reader.IsDBNull(4) ? null : reader.GetString(4),
        reader.GetString(2) == ObjectionWrite.Objected,
        StoredInstant.Parse(reader.GetString(3)));

    /// <summary>Takes one row of any statement into the snapshot of its subject.</summary>
    private void ReadRow(SqliteDataReader reader, ReleaseSnapshot snapshot, CompiledPurpose? purpose)
    {
        switch (reader.GetInt32(0))
        {
            case SubjectRow:
                snapshot.Found = true;
                snapshot.Erased = !reader.IsDBNull(1);
                break;
            case RestrictionRow:
                snapshot.AddRestriction(new RestrictionEvent(reader.GetString(1), reader.GetString(2) == RestrictionWrite.Restricted, StoredInstant.Parse(reader.GetString(3))));
                break;
            case ObjectionRow:
                snapshot.AddObjection(ObjectionFrom(reader));
                break;
            case ConsentRow:
                snapshot.AddConsent(
                    new ConsentEvent(
                        reader.GetString(4),
                        reader.GetString(5),
                        ConsentStates.Parse(reader.GetString(2)),
                        StoredInstant.Parse(reader.GetString(3)),
                        reader.IsDBNull(6) ? null : StoredInstant.Parse(reader.GetString(6))),
                    reader.GetString(1));
                break;
            case FieldRow:
                var field = reader.GetString(1);
                snapshot.FieldNames.Add(field);
                if (purpose?.Lists(field) == true)
                {
                    // Only these can be released, so only their ciphertexts and versions are kept.
                    snapshot.ListedFields.Add(new StoredField(field, reader.GetInt32(2), reader.GetString(4), reader.GetString(3), reader.GetFieldValue<byte[]>(5)));
                }

                break;
            case KeyRow:
                var group = reader.GetString(1);
                snapshot.Keys[group] = keyCache.TryGet(snapshot.SubjectId, group, out var cached) && cached is not null
                    ? new SubjectKey(cached, null)
                    : new SubjectKey(null, reader.GetFieldValue<byte[]>(2));
                break;
            default:
                throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"Unknown row kind {reader.GetInt32(0)} in a release read."));
        }
    }
}
