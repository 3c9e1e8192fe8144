using System.Globalization;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Changes;

/// <summary>A change event as its recipient reads it: ids, names and codes, never a value.</summary>
/// <param name="Id">The event's id (<c>evt_…</c>), the same for every recipient: deduplicate by it.</param>
/// <param name="Sequence">The event's place among all the vault's events: apply a subject's events in this order.</param>
/// <param name="Type">One of <see cref="ChangeTypes"/>.</param>
/// <param name="OccurredAt">When the change was committed.</param>
/// <param name="SubjectId">The subject concerned; null for a change of the catalogue.</param>
/// <param name="Purposes">The purposes affected.</param>
/// <param name="Fields">The names of the fields affected.</param>
/// <param name="RequestId">The data-subject request the change fulfilled, when it fulfilled one.</param>
/// <param name="Data">Codes qualifying the change (purpose versions <c>from</c>/<c>to</c>, <c>scope</c>, <c>source</c>).</param>
public sealed record ChangeEventView(
    string Id,
    long Sequence,
    string Type,
    DateTimeOffset OccurredAt,
    string? SubjectId,
    IReadOnlyList<string> Purposes,
    IReadOnlyList<string> Fields,
    string? RequestId,
    IReadOnlyDictionary<string, string>? Data);

/// <summary>One page of a client's feed, and the cursor to read on from (the same one again when the page is empty).</summary>
public sealed record ChangeFeedPage(IReadOnlyList<ChangeEventView> Events, string Next);

/// <summary>
/// A client's change feed: the events routed to it (<see cref="ChangeRouter"/>), in the order routing stored them,
/// from a cursor it got from an earlier page. Nothing is skipped or repeated: the order is the routing numbers, given
/// in commit order by the single writer, and a client found late for an event gets a number after every one handed
/// out before. An empty page can wait, bounded, for the next routing.
/// </summary>
public sealed class ChangeFeed
{
    public const int MaxPageSize = 1000;

    public static readonly TimeSpan MaxWait = TimeSpan.FromSeconds(30);

    // Routing by another process (the CLI, another instance) does not signal this one: a waiting reader looks again this often.
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string CursorVersion = "c1";

    private const string PageSql = """
        SELECT r.feed_sequence, e.id, e.sequence, e.type, e.occurred_at, e.subject_id, e.purposes, e.fields, e.request_id, e.data
        FROM change_recipients r JOIN change_events e ON e.sequence = r.sequence
        WHERE r.client_id = $client AND r.feed_sequence > $after
        ORDER BY r.feed_sequence LIMIT $limit;
        """;

    private readonly VaultReadConnections reads;
    private readonly ChangeFeedSignal signal;
    private readonly TimeProvider time;

    internal ChangeFeed(VaultReadConnections reads, ChangeFeedSignal signal, TimeProvider time)
    {
        this.reads = reads;
        this.signal = signal;
        this.time = time;
    }

    /// <summary>
    /// The client's events after <paramref name="cursor"/> (null: from its first), at most <paramref name="limit"/>;
    /// when there are none, waits up to <paramref name="wait"/> for some. Invalid for a cursor this feed did not give
    /// out; Gone for one given out before the database was restored from a backup (start again from the beginning).
    /// </summary>
    public async Task<VaultResult<ChangeFeedPage>> ReadAsync(string clientId, string? cursor, int limit, TimeSpan wait, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, MaxPageSize);
        ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(wait, MaxWait);
        var epoch = Epoch();
        long after = 0;
        if (cursor is not null)
        {
            if (Parse(cursor) is not var (cursorEpoch, position))
            {
                return VaultResult<ChangeFeedPage>.Invalid(new Dictionary<string, string[]> { ["after"] = ["Is not a cursor returned by this operation."] });
            }

            if (cursorEpoch < epoch)
            {
                return VaultResult<ChangeFeedPage>.Gone();
            }

            after = position;
        }

        var deadline = time.GetUtcNow() + wait;
        while (true)
        {
            var routed = signal.Next;
            var (events, last) = Page(clientId, after, limit);
            var remaining = deadline - time.GetUtcNow();
            if (events.Count > 0 || remaining <= TimeSpan.Zero)
            {
                return VaultResult<ChangeFeedPage>.Ok(new ChangeFeedPage(events, Format(epoch, events.Count > 0 ? last : after)));
            }

            try
            {
                await routed.WaitAsync(remaining < PollInterval ? remaining : PollInterval, time, cancellationToken);
            }
            catch (TimeoutException)
            {
                // Look again: another process may have routed, or the wait is over.
            }
        }
    }

    private long Epoch()
    {
        using var connection = reads.Rent();
        return (long)connection.Command("SELECT epoch FROM change_feed_head WHERE id = 1;").ExecuteScalar()!;
    }

    private (List<ChangeEventView> Events, long Last) Page(string clientId, long after, int limit)
    {
        using var connection = reads.Rent();
        var command = connection.Command(PageSql, "$client", "$after", "$limit");
        command.Parameters[0].Value = clientId;
        command.Parameters[1].Value = after;
        command.Parameters[2].Value = limit;
        var events = new List<ChangeEventView>();
        var last = after;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            last = reader.GetInt64(0);
            events.Add(new ChangeEventView(
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetString(3),
                StoredInstant.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                ChangeFeedObserver.Names(reader.GetString(6)),
                ChangeFeedObserver.Names(reader.GetString(7)),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.IsDBNull(9) ? null : JsonSerializer.Deserialize(reader.GetString(9), ChangeJson.Default.DictionaryStringString)));
        }

        return (events, last);
    }

    /// <summary>An opaque cursor: version, epoch and position, base64url-encoded so nobody is tempted to build one.</summary>
    private static string Format(long epoch, long position) =>
        Base64Url.Encode(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CursorVersion}.{epoch}.{position}")));

    private static (long Epoch, long Position)? Parse(string cursor)
    {
        if (cursor.Length > 64)
        {
            return null;
        }

        string text;
        try
        {
            text = Encoding.ASCII.GetString(Base64Url.Decode(cursor));
        }
        catch (FormatException)
        {
            return null;
        }

        var parts = text.Split('.');
        return parts.Length == 3
            && parts[0] == CursorVersion
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var epoch)
            && long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                ? (epoch, position)
                : null;
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class ChangeJson : System.Text.Json.Serialization.JsonSerializerContext;
