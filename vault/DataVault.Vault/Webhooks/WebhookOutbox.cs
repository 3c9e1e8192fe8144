using DataVault.Vault.Changes;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Webhooks;

/// <summary>
/// The durable delivery outbox. Deliveries are queued by the routing write that tells a client of an event
/// (<see cref="ChangeRouter"/>), in its transaction: an event routed to a client is queued for each of that client's
/// enabled subscriptions that wants its type, or, if routing rolls back, for none.
/// </summary>
internal static class WebhookOutbox
{
    public const string Pending = "pending";
    public const string Delivered = "delivered";
    public const string Dead = "dead";

    /// <summary>Queues event <paramref name="sequence"/> for <paramref name="clientId"/>'s subscriptions to <paramref name="type"/>; returns how many.</summary>
    public static int Enqueue(VaultWriteContext context, string clientId, long sequence, string type, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Execute(
            """
            INSERT OR IGNORE INTO webhook_deliveries (subscription_id, sequence, state, attempts, created_at, next_attempt_at)
            SELECT id, $2, 'pending', 0, $4, $4 FROM webhook_subscriptions
            WHERE client_id = $1 AND disabled_at IS NULL AND (event_types = '' OR instr(',' || event_types || ',', ',' || $3 || ',') > 0)
            ORDER BY id;
            """,
            clientId,
            sequence,
            type,
            now);
    }
}

/// <summary>Wakes the <see cref="WebhookDispatcher"/>: deliveries were queued or replayed in this process.</summary>
internal sealed class WebhookSignal : WakeSignal;
