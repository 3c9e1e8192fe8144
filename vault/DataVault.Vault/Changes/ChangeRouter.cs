using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Release;
using DataVault.Vault.Storage;
using DataVault.Vault.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Changes;

/// <summary>
/// Routes change events to their recipients (<see cref="ChangeRecipients"/>) in the background, in sequence order,
/// in two passes. The first runs as soon as it sees the event. A consented read can take its snapshot before a
/// withdrawal commits and have its audit entry — and so its ledger line — committed after it; such a read's entry
/// is durable within <see cref="AuditOptions.WriteTimeout"/> or it released nothing (503). So the second pass, once
/// that long and a second more have passed since the event, finds every client that could have received data
/// before it, and adds only those the first missed. An event already that old when first seen (a backlog, a
/// restart) is routed once, for good.
/// </summary>
internal sealed class ChangeRouter(
    IServiceScopeFactory scopes,
    VaultWriter writer,
    VaultReadConnections reads,
    IRecipientLedger ledger,
    ClientRegistry clients,
    ChangeFeedSignal signal,
    ChangeRoutingSignal routing,
    WebhookSignal webhooks,
    IOptions<AuditOptions> audit,
    TimeProvider time,
    ILogger<ChangeRouter> logger) : BackgroundService
{
    /// <summary>Most events routed in one write.</summary>
    public const int EventsPerRound = 500;

    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(1);

    private const string PendingSql = """
        SELECT sequence, type, occurred_at, subject_id, purposes, fields, data, routing FROM change_events
        WHERE routing = 0 OR (routing = 1 AND occurred_at <= $settled)
        ORDER BY sequence LIMIT $limit;
        """;

    /// <summary>How long after an event a release that raced it may still show up in the ledger.</summary>
    private TimeSpan Settle => audit.Value.WriteTimeout + TimeSpan.FromSeconds(1);

    /// <summary>Routes the events due for a pass now; returns how many it routed.</summary>
    public async Task<int> RouteDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = Pending(now - Settle);
        if (due.Count == 0)
        {
            return 0;
        }

        var routes = new List<ChangeRoute>(due.Count);
        var registered = clients.All().ToList();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var release = scope.ServiceProvider.GetRequiredService<ReleaseService>();
            foreach (var change in due)
            {
                var lines = change.SubjectId is { } subject ? await ledger.ForSubjectAsync(subject, cancellationToken) : [];
                var processable = new HashSet<string>(StringComparer.Ordinal);
                if (ChangeRecipients.AsksWhetherProcessable(change))
                {
                    foreach (var purpose in change.Purposes)
                    {
                        if ((await release.ProcessableAsync(purpose, [change.SubjectId!], cancellationToken)).Count > 0)
                        {
                            processable.Add(purpose);
                        }
                    }
                }

                var final = change.OccurredAt <= now - Settle;
                routes.Add(new ChangeRoute(change.Sequence, change.Type, ChangeRecipients.For(change, lines, registered, processable, change.OccurredAt + Settle), final ? 2 : 1));
            }
        }

        var added = await writer.WriteAsync(new RouteChangesWrite(routes, signal, webhooks, time), cancellationToken);
        Log.ChangesRouted(logger, due.Count, added);
        return due.Count;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = routing.Next;
            var routed = 0;
            try
            {
                routed = await RouteDueAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The events stay unrouted and are taken again next round; nothing was half-written (one write).
                Log.ChangeRoutingFailed(logger, exception);
            }

            if (routed == EventsPerRound)
            {
                continue;
            }

            try
            {
                await woken.WaitAsync(PollInterval, time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Look again: a backlog, a second pass coming due, or a change another process stated.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private List<RoutableChange> Pending(DateTimeOffset settled)
    {
        using var connection = reads.Rent();
        var command = connection.Command(PendingSql, "$settled", "$limit");
        command.Parameters[0].Value = StoredInstant.Format(settled);
        command.Parameters[1].Value = EventsPerRound;
        var due = new List<RoutableChange>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var data = reader.IsDBNull(6) ? null : reader.GetString(6);
            var type = reader.GetString(1);
            due.Add(new RoutableChange(
                reader.GetInt64(0),
                type,
                StoredInstant.Parse(reader.GetString(2)),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                ChangeFeedObserver.Names(reader.GetString(4)),
                ChangeFeedObserver.Names(reader.GetString(5)),
                type is ChangeTypes.SubjectErased or ChangeTypes.RestrictionPlaced or ChangeTypes.RestrictionLifted
                    || (data is not null && data.Contains("\"scope\":\"all\"", StringComparison.Ordinal)),
                reader.GetInt32(7)));
        }

        return due;
    }
}

/// <summary>The recipients found for one event in one pass, and the routing state it reaches.</summary>
internal sealed record ChangeRoute(long Sequence, string Type, IReadOnlyList<(string ClientId, string Reason)> Recipients, int Routing);

/// <summary>
/// Stores one round of routing: each recipient not yet told of its event gets the next feed number, and each event
/// its routing state, and each subscription of the recipient that wants the event's type a webhook delivery
/// (<see cref="WebhookOutbox"/>). One write, so a round is stored whole or not at all, deliveries with it; then the
/// feed's waiting readers and the webhook dispatcher are woken.
/// </summary>
internal sealed class RouteChangesWrite(IReadOnlyList<ChangeRoute> routes, ChangeFeedSignal signal, WebhookSignal webhooks, TimeProvider time) : VaultWrite<int>
{
    protected override int Execute(VaultWriteContext context)
    {
        var now = time.GetUtcNow();
        var added = 0;
        foreach (var route in routes)
        {
            foreach (var (clientId, reason) in route.Recipients)
            {
                if (context.Scalar("SELECT 1 FROM change_recipients WHERE sequence = $1 AND client_id = $2;", route.Sequence, clientId) is not null)
                {
                    continue;
                }

                var feedSequence = (long)context.Scalar("UPDATE change_recipient_head SET feed_sequence = feed_sequence + 1 WHERE id = 1 RETURNING feed_sequence;")!;
                context.Execute(
                    "INSERT INTO change_recipients (client_id, feed_sequence, sequence, reason, routed_at) VALUES ($1, $2, $3, $4, $5);",
                    clientId,
                    feedSequence,
                    route.Sequence,
                    reason,
                    now);
                WebhookOutbox.Enqueue(context, clientId, route.Sequence, route.Type, now);
                added++;
            }

            context.Execute("UPDATE change_events SET routing = $2 WHERE sequence = $1 AND routing < $2;", route.Sequence, route.Routing);
        }

        return added;
    }

    protected override void OnCommitted(int result)
    {
        if (result > 0)
        {
            signal.Notify();
            webhooks.Notify();
        }
    }
}
