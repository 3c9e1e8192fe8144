using System.Text;
using System.Text.Json;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Changes;

/// <summary>
/// Appends each published fact to <c>change_events</c>, the record recipients are told from (GDPR Art. 19), in the
/// transaction of the change. Its sequence comes from the one head row, raised in that transaction: gap-free and in
/// commit order, since the head row serializes the writers that raise it (a rolled-back change gives its number
/// back). An identity column would not: its values are taken at insert, not at commit, and are lost on rollback.
/// </summary>
internal sealed class ChangeFeedObserver(TimeProvider time, ChangeRoutingSignal routing) : IChangeObserver
{
    /// <summary>The prefix of change event ids; the rest is a <see cref="RecordId"/>.</summary>
    public const string IdPrefix = "evt_";

    public void Observe(VaultWriteContext context, ChangeFact fact, ChangeOrigin origin, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(fact);
        ArgumentNullException.ThrowIfNull(origin);
        if (!fact.Published)
        {
            return;
        }

        var sequence = (long)context.Scalar("UPDATE change_feed_head SET sequence = sequence + 1 WHERE id = 1 RETURNING sequence;")!;
        context.Execute(
            """
            INSERT INTO change_events (sequence, id, type, occurred_at, subject_id, purposes, fields, request_id, actor_type, actor_id, data)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11);
            """,
            sequence,
            IdPrefix + RecordId.New(time),
            fact.Type,
            at,
            fact.SubjectId,
            string.Join(',', fact.Purposes),
            string.Join(',', fact.Fields),
            origin.RequestId,
            origin.ActorType,
            origin.ActorId,
            fact.Data is { Count: > 0 } data ? Json(data) : null);
    }

    /// <summary>The events are durable: the router routes them now rather than at its next look.</summary>
    public void Committed() => routing.Notify();

    /// <summary>The names a <c>purposes</c> or <c>fields</c> column holds, joined by commas as stored here.</summary>
    public static string[] Names(string joined) => joined.Length == 0 ? [] : joined.Split(',');

    private static string Json(IReadOnlyDictionary<string, string> data)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var (name, value) in data.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                json.WriteString(name, value);
            }

            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
