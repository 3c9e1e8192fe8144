using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Audit;

/// <summary>Filters of an audit search; all optional, combined with AND.</summary>
public sealed record AuditQuery(
    string? SubjectId = null,
    string? ActorId = null,
    string? PurposeId = null,
    string? Action = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    long? Before = null,
    string? Outcome = null,
    string? RequestId = null);

/// <summary>The latest signed checkpoint and whether its signature verifies against one of the vault's own signing keys.</summary>
public sealed record AuditCheckpointStatus(AuditCheckpoint Checkpoint, bool SignatureValid);

/// <summary>Searches the audit trail, newest first, for officers and for a subject's own access log.</summary>
public sealed class AuditQueryService
{
    private readonly AuditDatabase database;
    private readonly IServiceScopeFactory scopes;

    internal AuditQueryService(AuditDatabase database, IServiceScopeFactory scopes)
    {
        this.database = database;
        this.scopes = scopes;
    }

    /// <summary>Entries matching <paramref name="query"/>, newest first, at most <paramref name="limit"/>.</summary>
    public IReadOnlyList<AuditEntry> Search(AuditQuery query, int limit)
    {
        using var connection = database.OpenReader();
        return Read(connection, query, limit).ToList();
    }

    /// <summary>
    /// How many entries match <paramref name="query"/> (older than its cursor, when it has one), so a page of
    /// results can say which of the matches it shows ("entries 51 to 100 of 1,234").
    /// </summary>
    public long Count(AuditQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*)" + Where(command, query) + ";";
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Every matching entry, newest first, read in pages so an export of millions streams in constant memory.</summary>
    public async IAsyncEnumerable<AuditEntry> StreamAsync(AuditQuery query, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int Page = 1000;
        var next = query;
        while (true)
        {
            var page = Search(next, Page);
            foreach (var entry in page)
            {
                yield return entry;
            }

            if (page.Count < Page)
            {
                yield break;
            }

            await Task.Yield();
            cancellationToken.ThrowIfCancellationRequested();
            next = next with { Before = page[^1].Sequence };
        }
    }

    /// <summary>Verifies the trail; checkpoints must be signed by one of this vault's own signing keys.</summary>
    public AuditVerification Verify(IReadOnlyList<AuditCheckpoint>? external = null)
    {
        var trusted = TrustedKeys();
        using var connection = database.OpenReader();
        return AuditVerifier.Verify(connection, trusted, external);
    }

    /// <summary>The latest signed checkpoint, checked against the vault's signing keys; null before the first.</summary>
    public AuditCheckpointStatus? LastCheckpoint()
    {
        var checkpoints = Checkpoints();
        return checkpoints.Count == 0 ? null : new AuditCheckpointStatus(checkpoints[^1], AuditCheckpoints.IsValid(checkpoints[^1], TrustedKeys()));
    }

    public IReadOnlyList<AuditCheckpoint> Checkpoints()
    {
        using var connection = database.OpenReader();
        return AuditVerifier.ReadCheckpoints(connection);
    }

    /// <summary>The public keys of every signing key the vault ever had: checkpoints must verify against one of them.</summary>
    private Dictionary<string, string> TrustedKeys()
    {
        using var scope = scopes.CreateScope();
        return scope.ServiceProvider.GetRequiredService<VaultDbContext>().SigningKeys.AsNoTracking()
            .ToDictionary(k => k.Id, k => k.PublicJwk, StringComparer.Ordinal);
    }

    private static IEnumerable<AuditEntry> Read(SqliteConnection connection, AuditQuery query, int limit)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {EntryColumns}" + Where(command, query) + " ORDER BY sequence DESC LIMIT $limit;";
        command.Parameters.AddWithValue("$limit", limit);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ReadEntry(reader);
        }
    }

    /// <summary>The <c>FROM … WHERE</c> of <paramref name="query"/>, its parameters added to <paramref name="command"/>.</summary>
    private static string Where(SqliteCommand command, AuditQuery query)
    {
        var sql = new StringBuilder(" FROM audit_entries WHERE 1 = 1");
        Filter(command, sql, "subject_id", "$subject", query.SubjectId);
        if (query.ActorId is { } actor)
        {
            // An actor is also the person a client acted for: a staff member's search finds what they did through a CRM.
            sql.Append(" AND (actor_id = $actor OR on_behalf_of = $actor)");
            command.Parameters.AddWithValue("$actor", actor);
        }

        Filter(command, sql, "purpose_id", "$purpose", query.PurposeId);
        Filter(command, sql, "action", "$action", query.Action);
        Filter(command, sql, "outcome", "$outcome", query.Outcome);
        Filter(command, sql, "request_id", "$request", query.RequestId);
        if (query.From is { } from)
        {
            sql.Append(" AND occurred_at >= $from");
            command.Parameters.AddWithValue("$from", StoredInstant.Format(from));
        }

        if (query.To is { } to)
        {
            sql.Append(" AND occurred_at < $to");
            command.Parameters.AddWithValue("$to", StoredInstant.Format(to));
        }

        if (query.Before is { } before)
        {
            sql.Append(" AND sequence < $before");
            command.Parameters.AddWithValue("$before", before);
        }

        return sql.ToString();
    }

    /// <summary>The columns <see cref="ReadEntry"/> reads, in its order.</summary>
    internal const string EntryColumns = "sequence, occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id, previous_hash, hash, on_behalf_of, request_id";

    /// <summary>One entry from a row selected as <see cref="EntryColumns"/>.</summary>
    internal static AuditEntry ReadEntry(SqliteDataReader reader) => new(
        reader.GetInt64(0),
        StoredInstant.Parse(reader.GetString(1)),
        new AuditRecord(
            reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(9),
            NullableString(reader, 5), NullableString(reader, 6), NullableString(reader, 7), NullableString(reader, 8), NullableString(reader, 10), NullableString(reader, 13), NullableString(reader, 14)),
        (byte[])reader[11],
        (byte[])reader[12]);

    private static void Filter(SqliteCommand command, StringBuilder sql, string column, string parameter, string? value)
    {
        if (value is null)
        {
            return;
        }

        sql.Append(CultureInfo.InvariantCulture, $" AND {column} = {parameter}");
        command.Parameters.AddWithValue(parameter, value);
    }

    private static string? NullableString(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);
}
