using DataVault.Vault.Changes;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Webhooks;

/// <summary>One recipient's notice of one event (GDPR Art. 19): when it was put in the recipient's feed, when a webhook delivered it, when the recipient acknowledged it.</summary>
/// <param name="ClientId">The recipient.</param>
/// <param name="EventId">The event (<c>evt_…</c>).</param>
/// <param name="Sequence">The event's sequence number.</param>
/// <param name="Type">The event's type.</param>
/// <param name="SubjectId">The subject concerned.</param>
/// <param name="OccurredAt">When the change was committed.</param>
/// <param name="NotifiedAt">When the event was routed to the recipient (in its feed, and queued for its webhooks).</param>
/// <param name="AcknowledgedAt">When the recipient acknowledged it; null while outstanding.</param>
/// <param name="AcknowledgedBy"><c>webhook</c> (a 2xx to a delivery) or <c>feed</c> (an acknowledgement through the API).</param>
public sealed record ChangeNoticeView(
    string ClientId,
    string EventId,
    long Sequence,
    string Type,
    string? SubjectId,
    DateTimeOffset OccurredAt,
    DateTimeOffset NotifiedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy);

/// <summary>
/// Acknowledgements of change events, the evidence of GDPR Art. 19 that recipients were told: recorded when a webhook
/// delivery is answered 2xx (<see cref="WebhookDispatcher"/>) or when a client pulling the feed acknowledges events;
/// read per subject (who was told, who confirmed) and as the officers' list of what is still outstanding.
/// </summary>
public sealed class ChangeAcknowledgements
{
    public const string WebhookChannel = "webhook";
    public const string FeedChannel = "feed";

    /// <summary>Most event ids in one acknowledgement.</summary>
    public const int MaxPerRequest = 1000;

    private const string NoticeSql = """
        SELECT r.client_id, e.id, e.sequence, e.type, e.subject_id, e.occurred_at, r.routed_at, a.acknowledged_at, a.channel
        FROM change_recipients r
        JOIN change_events e ON e.sequence = r.sequence
        LEFT JOIN change_acknowledgements a ON a.client_id = r.client_id AND a.sequence = r.sequence
        """;

    private readonly VaultWriter writer;
    private readonly VaultReadConnections reads;
    private readonly TimeProvider time;

    internal ChangeAcknowledgements(VaultWriter writer, VaultReadConnections reads, TimeProvider time)
    {
        this.writer = writer;
        this.reads = reads;
        this.time = time;
    }

    /// <summary>
    /// Records that <paramref name="clientId"/> acknowledged <paramref name="eventIds"/>. All or nothing: an id that is
    /// not an event of the client's feed makes the whole request invalid. Acknowledging again changes nothing.
    /// </summary>
    /// <returns>How many events were newly acknowledged.</returns>
    public async Task<VaultResult<int>> AcknowledgeAsync(string clientId, IReadOnlyList<string>? eventIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        if (eventIds is not { Count: > 0 } || eventIds.Count > MaxPerRequest)
        {
            return VaultResult<int>.Invalid(new Dictionary<string, string[]> { ["eventIds"] = [$"Must name between 1 and {MaxPerRequest} event ids."] });
        }

        var ids = eventIds.Distinct(StringComparer.Ordinal).ToList();
        var (acknowledged, unknown) = await writer.WriteAsync(new AcknowledgeWrite(clientId, ids, FeedChannel, time.GetUtcNow()), cancellationToken);
        return unknown is { } index
            ? VaultResult<int>.Invalid(new Dictionary<string, string[]> { [$"eventIds[{eventIds.ToList().IndexOf(ids[index])}]"] = ["Is not an event of this client's change feed."] })
            : VaultResult<int>.Ok(acknowledged);
    }

    /// <summary>Every recipient told of the subject's events, with the acknowledgement if any, in event order.</summary>
    public IReadOnlyList<ChangeNoticeView> ForSubject(string subjectId)
    {
        using var connection = reads.Rent();
        var command = connection.Command(NoticeSql + " WHERE e.subject_id = $subject ORDER BY e.sequence, r.client_id;", "$subject");
        command.Parameters[0].Value = subjectId;
        return Notices(command);
    }

    /// <summary>
    /// Erasures, rectifications and restrictions (<see cref="ChangeTypes.Article19"/>) a recipient was told of but
    /// has not acknowledged, oldest first, at most <paramref name="limit"/>.
    /// </summary>
    public IReadOnlyList<ChangeNoticeView> Outstanding(int limit)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        using var connection = reads.Rent();
        var command = connection.Command(
            NoticeSql + """
                 WHERE a.client_id IS NULL AND e.type IN ('subject.rectified', 'subject.erased', 'restriction.placed', 'restriction.lifted')
                ORDER BY e.sequence, r.client_id LIMIT $limit;
                """,
            "$limit");
        command.Parameters[0].Value = limit;
        return Notices(command);
    }

    private static List<ChangeNoticeView> Notices(SqliteCommand command)
    {
        var notices = new List<ChangeNoticeView>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            notices.Add(new ChangeNoticeView(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                StoredInstant.Parse(reader.GetString(5)),
                StoredInstant.Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : StoredInstant.Parse(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return notices;
    }
}

/// <summary>Records acknowledgements of events routed to the client; refuses the lot, naming the first id that is not one (its index).</summary>
internal sealed class AcknowledgeWrite(string clientId, IReadOnlyList<string> eventIds, string channel, DateTimeOffset now) : VaultWrite<(int Acknowledged, int? Unknown)>
{
    protected override (int Acknowledged, int? Unknown) Execute(VaultWriteContext context)
    {
        var acknowledged = 0;
        for (var i = 0; i < eventIds.Count; i++)
        {
            if (context.Scalar(
                    "SELECT e.sequence FROM change_events e JOIN change_recipients r ON r.sequence = e.sequence AND r.client_id = $2 WHERE e.id = $1;",
                    eventIds[i],
                    clientId) is not long sequence)
            {
                return (0, i);
            }

            acknowledged += Record(context, clientId, sequence, channel, now);
        }

        return (acknowledged, null);
    }

    protected override bool Keeps((int Acknowledged, int? Unknown) result) => result.Unknown is null;

    /// <summary>Records one acknowledgement unless one is already recorded; returns 1 when it is new.</summary>
    public static int Record(VaultWriteContext context, string clientId, long sequence, string channel, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Execute(
            "INSERT OR IGNORE INTO change_acknowledgements (client_id, sequence, acknowledged_at, channel) VALUES ($1, $2, $3, $4);",
            clientId,
            sequence,
            at,
            channel);
    }
}
