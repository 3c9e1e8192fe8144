using System.Text;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>
/// Filters of a subject's own access log. By default the subject's own activity (signing in, viewing their
/// pages, their own changes) is left out: the log answers who else used their data.
/// </summary>
/// <param name="SubjectId">Whose log.</param>
/// <param name="IncludeOwn">Whether the subject's own actions are listed too.</param>
/// <param name="PurposeId">Only entries for this purpose.</param>
/// <param name="ClientId">Only entries of this registered client (organisation or system).</param>
public sealed record SubjectLogQuery(string SubjectId, bool IncludeOwn = false, string? PurposeId = null, string? ClientId = null);

/// <summary>One page of a subject's access log, newest first, and how many entries match the filters in all.</summary>
public sealed record SubjectLogPage(IReadOnlyList<AuditEntry> Entries, int Total);

/// <summary>What a subject's access log can be filtered by: the purposes and the clients its entries name.</summary>
public sealed record SubjectLogChoices(IReadOnlyList<string> Purposes, IReadOnlyList<string> Clients);

/// <summary>
/// A subject's access log ("Who used your data"), read from the audit trail with the filters and the paging
/// done by the query, so every match can be reached however long the trail is.
/// </summary>
/// <remarks>
/// A change is audited twice: <see cref="AuditOutcomes.Attempted"/> before it is made, then its outcome
/// (<see cref="AuditOutcomes.Success"/>, <see cref="AuditOutcomes.Invalid"/>, ...). The subject is told
/// about one action once, with its real outcome: an attempt is left out when the next entry of the same
/// actor, action and request (trace id) on the subject is its outcome. An attempt with no outcome after it
/// (the service stopped in between) stays, as an attempt.
/// </remarks>
public sealed class SubjectAccessLog
{
    private const string Folded = $$"""
        NOT (e.outcome = '{{AuditOutcomes.Attempted}}' AND COALESCE((
            SELECT o.outcome FROM audit_entries o
            WHERE o.subject_id = e.subject_id AND o.sequence > e.sequence
              AND o.actor_type = e.actor_type AND o.actor_id = e.actor_id AND o.action = e.action
              AND o.trace_id IS e.trace_id
            ORDER BY o.sequence LIMIT 1), '{{AuditOutcomes.Attempted}}') <> '{{AuditOutcomes.Attempted}}')
        """;

    private readonly AuditDatabase database;

    internal SubjectAccessLog(AuditDatabase database) => this.database = database;

    /// <summary>Entries <paramref name="offset"/> to <paramref name="offset"/> + <paramref name="limit"/> of the matches, newest first.</summary>
    public SubjectLogPage Read(SubjectLogQuery query, int offset, int limit)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = database.OpenReader();

        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT COUNT(*) FROM audit_entries e WHERE {Where(count, query)};";
        var total = Convert.ToInt32(count.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);

        using var page = connection.CreateCommand();
        page.CommandText = $"SELECT {AuditQueryService.EntryColumns} FROM audit_entries e WHERE {Where(page, query)} ORDER BY e.sequence DESC LIMIT $limit OFFSET $offset;";
        page.Parameters.AddWithValue("$limit", limit);
        page.Parameters.AddWithValue("$offset", offset);
        var entries = new List<AuditEntry>();
        using var reader = page.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(AuditQueryService.ReadEntry(reader));
        }

        return new SubjectLogPage(entries, total);
    }

    /// <summary>The purposes and the clients named anywhere in the subject's log, for the filters.</summary>
    public SubjectLogChoices Choices(string subjectId)
    {
        using var connection = database.OpenReader();
        return new SubjectLogChoices(
            Distinct(connection, "SELECT DISTINCT purpose_id FROM audit_entries WHERE subject_id = $subject AND purpose_id IS NOT NULL;", subjectId),
            Distinct(connection, $"SELECT DISTINCT actor_id FROM audit_entries WHERE subject_id = $subject AND actor_type = '{AuditActors.Client}';", subjectId));
    }

    private static string Where(SqliteCommand command, SubjectLogQuery query)
    {
        var where = new StringBuilder("e.subject_id = $subject AND ").Append(Folded);
        command.Parameters.AddWithValue("$subject", query.SubjectId);
        if (!query.IncludeOwn)
        {
            where.Append($" AND NOT (e.actor_type = '{AuditActors.Subject}' AND e.actor_id = $subject)");
        }

        if (query.PurposeId is { } purpose)
        {
            where.Append(" AND e.purpose_id = $purpose");
            command.Parameters.AddWithValue("$purpose", purpose);
        }

        if (query.ClientId is { } client)
        {
            where.Append($" AND e.actor_type = '{AuditActors.Client}' AND e.actor_id = $client");
            command.Parameters.AddWithValue("$client", client);
        }

        return where.ToString();
    }

    private static List<string> Distinct(SqliteConnection connection, string sql, string subjectId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$subject", subjectId);
        using var reader = command.ExecuteReader();
        var values = new List<string>();
        while (reader.Read())
        {
            values.Add(reader.GetString(0));
        }

        return values;
    }
}
