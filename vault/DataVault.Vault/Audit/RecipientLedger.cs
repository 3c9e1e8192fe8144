using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Audit;

/// <summary>
/// One line of the recipient ledger: a client received (or provided) these fields of the subject for this purpose,
/// first and last at these instants. The last instant is exact to within <see cref="AuditOptions.LedgerLastSeenGranularity"/>.
/// </summary>
/// <param name="SubjectId">The subject whose fields they are.</param>
/// <param name="ClientId">The client (OAuth <c>client_id</c>) that received or provided them.</param>
/// <param name="PurposeId">The purpose the fields were released for; null when the client provided them (created or rectified the subject).</param>
/// <param name="Fields">The field names, in order.</param>
/// <param name="FirstAt">When the client first received them.</param>
/// <param name="LastAt">When it last received them.</param>
/// <param name="FirstSequence">The audit entry that proves the first release.</param>
public sealed record RecipientRecord(
    string SubjectId,
    string ClientId,
    string? PurposeId,
    IReadOnlyList<string> Fields,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    long FirstSequence)
{
    /// <summary>Whether the client provided the fields rather than received them.</summary>
    public bool Provided => PurposeId is null;
}

/// <summary>
/// Who received which of a subject's fields for which purpose, and when (GDPR Art. 15(1)(c): the recipients; Art. 19:
/// whom to tell of a rectification, erasure or restriction), from the releases the audit trail records.
/// </summary>
public interface IRecipientLedger
{
    /// <summary>Every client that received or provided fields of the subject, by client, purpose and field set.</summary>
    Task<IReadOnlyList<RecipientRecord>> ForSubjectAsync(string subjectId, CancellationToken cancellationToken);

    /// <summary>
    /// What the client received, subject by subject in id order: the lines of at most <paramref name="limit"/> subjects
    /// after <paramref name="afterSubjectId"/> (null for the first page). A subject's lines are never split across pages.
    /// </summary>
    Task<IReadOnlyList<RecipientRecord>> ForClientAsync(string clientId, string? afterSubjectId, int limit, CancellationToken cancellationToken);
}

/// <summary>Reads the ledger <see cref="RecipientLedgerFold"/> keeps in the audit database, on a read-only connection.</summary>
internal sealed class RecipientLedger(AuditDatabase database) : IRecipientLedger
{
    private const string Columns = """
        SELECT l.subject_id, l.client_id, l.purpose_id, s.fields, l.first_at, l.last_at, l.first_sequence
        FROM recipient_ledger l JOIN recipient_field_sets s ON s.id = l.field_set_id
        """;

    public Task<IReadOnlyList<RecipientRecord>> ForSubjectAsync(string subjectId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectId);
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"{Columns} WHERE l.subject_id = $subject ORDER BY l.client_id, l.purpose_id, l.first_sequence;";
        command.Parameters.AddWithValue("$subject", subjectId);
        return Task.FromResult<IReadOnlyList<RecipientRecord>>(Read(command, cancellationToken));
    }

    public Task<IReadOnlyList<RecipientRecord>> ForClientAsync(string clientId, string? afterSubjectId, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = $"""
            {Columns}
            WHERE l.client_id = $client AND l.subject_id IN (
                SELECT DISTINCT subject_id FROM recipient_ledger WHERE client_id = $client AND subject_id > $after ORDER BY subject_id LIMIT $limit)
            ORDER BY l.subject_id, l.purpose_id, l.first_sequence;
            """;
        command.Parameters.AddWithValue("$client", clientId);
        command.Parameters.AddWithValue("$after", afterSubjectId ?? string.Empty);
        command.Parameters.AddWithValue("$limit", limit);
        return Task.FromResult<IReadOnlyList<RecipientRecord>>(Read(command, cancellationToken));
    }

    private static List<RecipientRecord> Read(SqliteCommand command, CancellationToken cancellationToken)
    {
        var records = new List<RecipientRecord>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var purpose = reader.GetString(2);
            records.Add(new RecipientRecord(
                reader.GetString(0),
                reader.GetString(1),
                purpose == RecipientLedgerFold.Provided ? null : purpose,
                reader.GetString(3).Split(','),
                StoredInstant.Parse(reader.GetString(4)),
                StoredInstant.Parse(reader.GetString(5)),
                reader.GetInt64(6)));
        }

        return records;
    }
}
