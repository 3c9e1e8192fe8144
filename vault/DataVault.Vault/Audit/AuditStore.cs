using System.Globalization;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>The audit database could not make an entry durable; the request must fail closed (503).</summary>
public sealed class AuditUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Appends entries to the audit database. The chain head is read inside the same IMMEDIATE
/// transaction that appends, so several processes (the service, the CLI, other instances) can
/// append to one file without forking the chain.
/// </summary>
internal static class AuditStore
{
    private static readonly string[] ParameterNames =
        ["$seq", "$at", "$actorType", "$actorId", "$action", "$subject", "$purpose", "$fields", "$withheld", "$outcome", "$trace", "$previous", "$hash", "$person", "$request"];

    public static SqliteConnection Open(string path, TimeSpan busyTimeout)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Pooling = false,
            DefaultTimeout = Math.Max(1, (int)Math.Ceiling(busyTimeout.TotalSeconds)),
        }.ToString());
        connection.Open();
        using var pragma = connection.CreateCommand();

        // FULL: the commit is on disk before the request that waits for it is answered.
        pragma.CommandText = $"PRAGMA busy_timeout = {(int)busyTimeout.TotalMilliseconds}; PRAGMA synchronous = FULL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    /// <summary>Appends the records in order as one transaction and returns the stored entries.</summary>
    public static IReadOnlyList<AuditEntry> Append(SqliteConnection connection, IReadOnlyList<AuditRecord> records, DateTimeOffset now) =>
        AppendClaimed(connection, () => records, now, new RecipientLedgerCache(TimeSpan.Zero));

    /// <summary>
    /// Appends, as one transaction, the records <paramref name="claim"/> returns once the write lock is held:
    /// what goes into the trail is decided when nothing can keep it from being committed but the commit itself.
    /// The recipient ledger is brought up to date in the same transaction (<see cref="RecipientLedgerFold"/>).
    /// </summary>
    public static IReadOnlyList<AuditEntry> AppendClaimed(SqliteConnection connection, Func<IReadOnlyList<AuditRecord>> claim, DateTimeOffset now, RecipientLedgerCache ledger)
    {
        ArgumentNullException.ThrowIfNull(claim);
        using var transaction = connection.BeginTransaction(deferred: false);
        var records = claim();
        var (sequence, previous) = Head(connection, transaction);
        using var insert = connection.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = """
            INSERT INTO audit_entries (sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of, request_id)
            VALUES ($seq, $at, $actorType, $actorId, $action, $subject, $purpose, $fields, $withheld, $outcome, $trace, $previous, $hash, $person, $request);
            """;
        var parameters = ParameterNames
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        insert.Prepare();
        var at = StoredInstant.Format(now);
        var entries = new List<AuditEntry>(records.Count);
        foreach (var record in records)
        {
            sequence++;
            var hash = AuditChain.ComputeHash(sequence, at, record, previous);
            object?[] values = [sequence, at, record.ActorType, record.ActorId, record.Action, record.SubjectId, record.PurposeId, record.Fields, record.Withheld, record.Outcome, record.TraceId, previous, hash, record.OnBehalfOf, record.RequestId];
            for (var i = 0; i < values.Length; i++)
            {
                parameters[i].Value = values[i] ?? DBNull.Value;
            }

            insert.ExecuteNonQuery();
            entries.Add(new AuditEntry(sequence, now, record, previous, hash));
            previous = hash;
        }

        var folded = RecipientLedgerFold.Append(connection, transaction, entries, ledger);
        transaction.Commit();
        folded.Committed();
        return entries;
    }

    /// <summary>The last sequence number and hash, or 0 and the genesis hash for an empty trail.</summary>
    public static (long Sequence, byte[] Hash) Head(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT sequence, hash FROM audit_entries ORDER BY sequence DESC LIMIT 1;";
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), (byte[])reader[1]) : (0, AuditChain.Genesis);
    }

    /// <summary>The sequence number of the latest checkpoint, or 0.</summary>
    public static long LastCheckpoint(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COALESCE(MAX(sequence), 0) FROM audit_checkpoints;";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
