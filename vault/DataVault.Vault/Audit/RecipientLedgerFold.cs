using System.Globalization;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>
/// Keeps the recipient ledger (<see cref="IRecipientLedger"/>) in step with the trail: every append folds its entries
/// in, inside the append's transaction, so the ledger costs no transaction or flush of its own and can never lag
/// behind or run ahead of the entries that prove it. Only what a client was actually given counts: successful
/// entries of clients that read or looked up a subject's fields for a purpose, or created or rectified the subject
/// (they provided the fields and keep a copy). An entry that timed out released nothing.
/// </summary>
internal static class RecipientLedgerFold
{
    /// <summary>How many stored entries one backfill transaction folds, so a long trail does not hold the lock for long.</summary>
    public const int BackfillChunk = 10_000;

    /// <summary>The purpose id of fields a client provided rather than received.</summary>
    public const string Provided = "";

    /// <summary>
    /// Folds <paramref name="entries"/>, just appended in <paramref name="transaction"/>, and any stored entries before
    /// them the ledger has not folded yet; the ledger then runs through the last of them. Call
    /// <see cref="Pending.Committed"/> once the transaction is committed.
    /// </summary>
    public static Pending Append(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<AuditEntry> entries, RecipientLedgerCache cache)
    {
        var pending = new Pending(cache);
        if (entries.Count == 0)
        {
            return pending;
        }

        using var fold = new Folder(connection, transaction, cache, pending);
        var through = fold.Through();
        if (through < entries[0].Sequence - 1)
        {
            fold.Stored(through, entries[0].Sequence - 1);
        }

        foreach (var entry in entries)
        {
            fold.Entry(entry.Sequence, entry.OccurredAt, entry.Record.ActorType, entry.Record.ActorId, entry.Record.Action, entry.Record.Outcome, entry.Record.SubjectId, entry.Record.PurposeId, entry.Record.Fields);
        }

        fold.SetThrough(entries[^1].Sequence);
        return pending;
    }

    /// <summary>Folds the stored entries the ledger has not folded yet (a trail written before it), one chunk per transaction.</summary>
    public static void Backfill(SqliteConnection connection)
    {
        var cache = new RecipientLedgerCache(TimeSpan.Zero);
        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            var pending = new Pending(cache);
            using (var fold = new Folder(connection, transaction, cache, pending))
            {
                var through = fold.Through();
                var (head, _) = AuditStore.Head(connection, transaction);
                if (through >= head)
                {
                    return;
                }

                var until = Math.Min(head, through + BackfillChunk);
                fold.Stored(through, until);
                fold.SetThrough(until);
            }

            transaction.Commit();
        }
    }

    /// <summary>What a fold wrote, for the cache to learn once it is committed (a rolled-back fold teaches it nothing).</summary>
    internal sealed class Pending(RecipientLedgerCache cache)
    {
        public List<(RecipientLedgerCache.Key Key, DateTimeOffset At)> Rows { get; } = [];

        public List<(string Fields, long Id)> FieldSets { get; } = [];

        public void Committed() => cache.Learn(this);
    }

    private sealed class Folder(SqliteConnection connection, SqliteTransaction transaction, RecipientLedgerCache cache, Pending pending) : IDisposable
    {
        private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

        public long Through() => (long)Command("SELECT through_sequence FROM recipient_ledger_state WHERE id = 1;").ExecuteScalar()!;

        public void SetThrough(long sequence) => Command("UPDATE recipient_ledger_state SET through_sequence = $1 WHERE id = 1;", sequence).ExecuteNonQuery();

        /// <summary>Folds the stored entries after <paramref name="after"/> up to <paramref name="until"/>.</summary>
        public void Stored(long after, long until)
        {
            var entries = new List<(long, DateTimeOffset, string, string, string, string, string?, string?, string?)>();
            using (var reader = Command(
                """
                SELECT sequence, occurred_at, actor_type, actor_id, action, outcome, subject_id, purpose_id, fields
                FROM audit_entries WHERE sequence > $1 AND sequence <= $2 ORDER BY sequence;
                """,
                after,
                until).ExecuteReader())
            {
                while (reader.Read())
                {
                    entries.Add((
                        reader.GetInt64(0),
                        StoredInstant.Parse(reader.GetString(1)),
                        reader.GetString(2),
                        reader.GetString(3),
                        reader.GetString(4),
                        reader.GetString(5),
                        reader.IsDBNull(6) ? null : reader.GetString(6),
                        reader.IsDBNull(7) ? null : reader.GetString(7),
                        reader.IsDBNull(8) ? null : reader.GetString(8)));
                }
            }

            foreach (var (sequence, at, actorType, actorId, action, outcome, subject, purpose, fields) in entries)
            {
                Entry(sequence, at, actorType, actorId, action, outcome, subject, purpose, fields);
            }
        }

        public void Entry(long sequence, DateTimeOffset at, string actorType, string actorId, string action, string outcome, string? subjectId, string? purposeId, string? fields)
        {
            if (outcome != AuditOutcomes.Success || actorType != AuditActors.Client || subjectId is null || string.IsNullOrEmpty(fields))
            {
                return;
            }

            string purpose;
            switch (action)
            {
                case AuditActions.SubjectRead or AuditActions.SubjectLookup when !string.IsNullOrEmpty(purposeId):
                    purpose = purposeId;
                    break;
                case AuditActions.SubjectCreate or AuditActions.SubjectRectify:
                    purpose = Provided;
                    break;
                default:
                    return;
            }

            var fieldSet = string.Join(',', fields.Split(',').Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
            var key = new RecipientLedgerCache.Key(subjectId, actorId, purpose, fieldSet);
            if (cache.IsFresh(key, at))
            {
                return;
            }

            if (cache.FieldSetId(fieldSet) is not { } setId)
            {
                setId = (long)Command(
                    """
                    INSERT INTO recipient_field_sets (fields) VALUES ($1) ON CONFLICT (fields) DO UPDATE SET fields = excluded.fields RETURNING id;
                    """,
                    fieldSet).ExecuteScalar()!;
                pending.FieldSets.Add((fieldSet, setId));
            }

            var instant = StoredInstant.Format(at);
            Command(
                """
                INSERT INTO recipient_ledger (subject_id, client_id, purpose_id, field_set_id, first_at, last_at, first_sequence, last_sequence)
                VALUES ($1, $2, $3, $4, $5, $5, $6, $6)
                ON CONFLICT (subject_id, client_id, purpose_id, field_set_id)
                DO UPDATE SET last_at = excluded.last_at, last_sequence = excluded.last_sequence WHERE excluded.last_sequence > recipient_ledger.last_sequence;
                """,
                subjectId,
                actorId,
                purpose,
                setId,
                instant,
                sequence).ExecuteNonQuery();
            pending.Rows.Add((key, at));
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
        }

        private SqliteCommand Command(string sql, params object[] values)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                command = connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = sql;
                for (var i = 1; i <= values.Length; i++)
                {
                    command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
                }

                _commands[sql] = command;
            }

            for (var i = 0; i < values.Length; i++)
            {
                command.Parameters[i].Value = values[i];
            }

            return command;
        }
    }
}

/// <summary>
/// What this process last wrote to one audit database's recipient ledger: the rows it knows exist, with the instant
/// it last stamped, and the ids of field sets. A release already in the ledger less than the granularity ago writes
/// nothing, so a client reading the same subject again and again costs a dictionary look-up, not a write. Bounded:
/// when full it starts afresh, which only costs writes.
/// </summary>
internal sealed class RecipientLedgerCache(TimeSpan granularity)
{
    private const int MaxRows = 200_000;
    private const int MaxFieldSets = 10_000;

    private readonly Dictionary<Key, DateTimeOffset> _rows = [];
    private readonly Dictionary<string, long> _fieldSets = new(StringComparer.Ordinal);

    internal readonly record struct Key(string SubjectId, string ClientId, string PurposeId, string Fields);

    public bool IsFresh(Key key, DateTimeOffset at) => _rows.TryGetValue(key, out var last) && at - last < granularity;

    public long? FieldSetId(string fields) => _fieldSets.TryGetValue(fields, out var id) ? id : null;

    public void Learn(RecipientLedgerFold.Pending pending)
    {
        if (_rows.Count + pending.Rows.Count > MaxRows)
        {
            _rows.Clear();
        }

        if (_fieldSets.Count + pending.FieldSets.Count > MaxFieldSets)
        {
            _fieldSets.Clear();
        }

        foreach (var (key, at) in pending.Rows)
        {
            _rows[key] = at;
        }

        foreach (var (fields, id) in pending.FieldSets)
        {
            _fieldSets[fields] = id;
        }
    }
}
