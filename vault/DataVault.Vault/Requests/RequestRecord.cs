using System.Globalization;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Requests;

/// <summary>Row of <c>requests</c>: codes, dates and ids; the requester's contact only inside <see cref="Payload"/>, protected.</summary>
internal sealed class RequestRecord
{
    public required string Id { get; init; }

    public required string Type { get; init; }

    public string? SubjectId { get; set; }

    public string? RequesterMask { get; set; }

    /// <summary>The requester's contact details as they gave them, protected by Data Protection for this row only.</summary>
    public byte[]? Payload { get; set; }

    public required string Channel { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The day of receipt where the controller is; the deadline counts from it.</summary>
    public required DateOnly ReceivedDate { get; init; }

    public required string Language { get; set; }

    public required string Status { get; set; }

    public string? Assignee { get; set; }

    public required DateOnly DueDate { get; set; }

    public required DateOnly FirstDueDate { get; set; }

    public int ExtensionMonths { get; set; }

    public string? ExtensionReason { get; set; }

    public int PausedDays { get; set; }

    public DateOnly? PausedSince { get; set; }

    public string? IdentityMethod { get; set; }

    public DateTimeOffset? IdentityVerifiedAt { get; set; }

    public string? RefusalReason { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    public string? ClosedBy { get; set; }

    public bool? OnTime { get; set; }

    public required string CreatedBy { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>Row of <c>request_events</c>: one entry of a request's history, append-only.</summary>
internal sealed class RequestEventRecord
{
    public required string Id { get; init; }

    public required string RequestId { get; init; }

    /// <summary>1 for the receipt, then one more for each entry: the order things happened in, even within the same instant.</summary>
    public required int Sequence { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required string ActorType { get; init; }

    public required string ActorId { get; init; }

    public required string Kind { get; init; }

    public string? FromStatus { get; init; }

    public string? ToStatus { get; init; }

    public string? Detail { get; init; }

    public string? Note { get; init; }
}

/// <summary>A history entry before it is appended and numbered.</summary>
internal sealed record RequestEventDraft(
    string Id, DateTimeOffset OccurredAt, string ActorType, string ActorId, string Kind, string? FromStatus, string? ToStatus, string? Detail, string? Note);

/// <summary>The SQL of requests on the writer's connection, inside a write's transaction.</summary>
internal static class RequestRows
{
    private const string Columns =
        "id, type, subject_id, requester_mask, payload, channel, received_at, received_date, language, status, assignee, due_date, first_due_date, "
        + "extension_months, extension_reason, paused_days, paused_since, identity_method, identity_verified_at, refusal_reason, closed_at, closed_by, on_time, created_by, updated_at";

    public static void Insert(VaultWriteContext context, RequestRecord r) =>
        context.Execute(
            $"INSERT INTO requests ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25);",
            r.Id, r.Type, r.SubjectId, r.RequesterMask, r.Payload, r.Channel, r.ReceivedAt, Day(r.ReceivedDate), r.Language, r.Status, r.Assignee, Day(r.DueDate), Day(r.FirstDueDate),
            r.ExtensionMonths, r.ExtensionReason, r.PausedDays, Day(r.PausedSince), r.IdentityMethod, r.IdentityVerifiedAt, r.RefusalReason, r.ClosedAt, r.ClosedBy, r.OnTime, r.CreatedBy, r.UpdatedAt);

    /// <summary>Writes back what a change may alter; what was received (type, channel, dates of receipt, creator) never changes.</summary>
    public static void Update(VaultWriteContext context, RequestRecord r) =>
        context.Execute(
            """
            UPDATE requests SET subject_id = $2, requester_mask = $3, payload = $4, language = $5, status = $6, assignee = $7, due_date = $8, first_due_date = $9,
                extension_months = $10, extension_reason = $11, paused_days = $12, paused_since = $13, identity_method = $14, identity_verified_at = $15,
                refusal_reason = $16, closed_at = $17, closed_by = $18, on_time = $19, updated_at = $20
            WHERE id = $1;
            """,
            r.Id, r.SubjectId, r.RequesterMask, r.Payload, r.Language, r.Status, r.Assignee, Day(r.DueDate), Day(r.FirstDueDate),
            r.ExtensionMonths, r.ExtensionReason, r.PausedDays, Day(r.PausedSince), r.IdentityMethod, r.IdentityVerifiedAt,
            r.RefusalReason, r.ClosedAt, r.ClosedBy, r.OnTime, r.UpdatedAt);

    public static RequestRecord? Find(VaultWriteContext context, string id)
    {
        using var reader = context.Query($"SELECT {Columns} FROM requests WHERE id = $1;", id);
        return reader.Read() ? Read(reader) : null;
    }

    /// <summary>Appends <paramref name="entries"/> to the request's history, numbered after its last entry.</summary>
    public static void AppendEvents(VaultWriteContext context, string requestId, IEnumerable<RequestEventDraft> entries)
    {
        var sequence = Convert.ToInt32(context.Scalar("SELECT coalesce(MAX(sequence), 0) FROM request_events WHERE request_id = $1;", requestId), CultureInfo.InvariantCulture);
        foreach (var e in entries)
        {
            context.Execute(
                "INSERT INTO request_events (id, request_id, sequence, occurred_at, actor_type, actor_id, kind, from_status, to_status, detail, note) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);",
                e.Id, requestId, ++sequence, e.OccurredAt, e.ActorType, e.ActorId, e.Kind, e.FromStatus, e.ToStatus, e.Detail, e.Note);
        }
    }

    /// <summary>ISO 8601 calendar date, as EF Core's SQLite provider stores <see cref="DateOnly"/>.</summary>
    private static string? Day(DateOnly? day) => day?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static DateOnly ParseDay(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static RequestRecord Read(SqliteDataReader reader)
    {
        string? Text(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        return new RequestRecord
        {
            Id = reader.GetString(0),
            Type = reader.GetString(1),
            SubjectId = Text(2),
            RequesterMask = Text(3),
            Payload = reader.IsDBNull(4) ? null : (byte[])reader.GetValue(4),
            Channel = reader.GetString(5),
            ReceivedAt = StoredInstant.Parse(reader.GetString(6)),
            ReceivedDate = ParseDay(reader.GetString(7)),
            Language = reader.GetString(8),
            Status = reader.GetString(9),
            Assignee = Text(10),
            DueDate = ParseDay(reader.GetString(11)),
            FirstDueDate = ParseDay(reader.GetString(12)),
            ExtensionMonths = reader.GetInt32(13),
            ExtensionReason = Text(14),
            PausedDays = reader.GetInt32(15),
            PausedSince = Text(16) is { } paused ? ParseDay(paused) : null,
            IdentityMethod = Text(17),
            IdentityVerifiedAt = Text(18) is { } verified ? StoredInstant.Parse(verified) : null,
            RefusalReason = Text(19),
            ClosedAt = Text(20) is { } closed ? StoredInstant.Parse(closed) : null,
            ClosedBy = Text(21),
            OnTime = reader.IsDBNull(22) ? null : reader.GetInt64(22) != 0,
            CreatedBy = reader.GetString(23),
            UpdatedAt = StoredInstant.Parse(reader.GetString(24)),
        };
    }
}
