using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Webhooks;

/// <summary>
/// Posts queued deliveries (<see cref="WebhookOutbox"/>) to their subscriptions, signed as Standard Webhooks asks:
/// <c>webhook-id</c> (the event id, the same on every attempt, so receivers deduplicate by it),
/// <c>webhook-timestamp</c> and <c>webhook-signature</c> (HMAC-SHA256 with the subscription's secret, and with the
/// secret a rotation replaced while it overlaps). A subscription's deliveries go one at a time, in order: the next
/// waits until the one before is delivered or given up. Subscriptions are served side by side, in the background, so
/// a slow or dead receiver holds up only itself and never an API request.
/// </summary>
/// <remarks>
/// Each attempt is claimed before it is sent (the attempt counted, the delivery moved to its retry time), so a
/// process stopped mid-send leaves it due again rather than lost: at least once, deduplicable by id. A 2xx is an
/// acknowledgement of the event by the recipient (<see cref="ChangeAcknowledgements"/>); 410 Gone disables the
/// subscription; anything else is retried with exponential backoff and jitter, or after the receiver's
/// <c>Retry-After</c>, until <see cref="WebhookOptions.GiveUpAfter"/> has passed since it was queued: then it is
/// dead-lettered, to be replayed (<see cref="WebhookSubscriptions.ReplayAsync"/>).
/// </remarks>
internal sealed class WebhookDispatcher : BackgroundService
{
    /// <summary>The actor of <c>webhook.deliver</c> entries: the vault itself sends.</summary>
    public const string ActorId = "webhooks";

    private const int HeadsPerRound = 100;

    // A subscription gives way to others after this many deliveries in one round.
    private const int DeliveriesPerTurn = 50;

    private const string HeadsSql = """
        SELECT d.id, d.subscription_id, d.sequence, d.attempts, d.created_at, s.client_id, s.url, s.secret, s.previous_secret, s.previous_secret_until
        FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE s.disabled_at IS NULL AND d.next_attempt_at <= $now AND ($subscription IS NULL OR d.subscription_id = $subscription)
          AND d.id = (SELECT MIN(p.id) FROM webhook_deliveries p WHERE p.subscription_id = d.subscription_id AND p.state = 'pending')
        ORDER BY d.next_attempt_at LIMIT $limit;
        """;

    private const string NextDueSql = """
        SELECT MIN(d.next_attempt_at) FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id
        WHERE s.disabled_at IS NULL
          AND d.id = (SELECT MIN(p.id) FROM webhook_deliveries p WHERE p.subscription_id = d.subscription_id AND p.state = 'pending');
        """;

    private const string EventSql = """
        SELECT id, sequence, type, occurred_at, subject_id, purposes, fields, request_id, data FROM change_events WHERE sequence = $sequence;
        """;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly VaultWriter writer;
    private readonly VaultReadConnections reads;
    private readonly WebhookSecretProtector secrets;
    private readonly WebhookSignal signal;
    private readonly AuditRecorder audit;
    private readonly IOptions<WebhookOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<WebhookDispatcher> logger;
    private readonly HttpClient http;

    public WebhookDispatcher(
        VaultWriter writer,
        VaultReadConnections reads,
        WebhookTargets targets,
        WebhookSecretProtector secrets,
        WebhookSignal signal,
        AuditRecorder audit,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookDispatcher> logger)
    {
        ArgumentNullException.ThrowIfNull(targets);
        this.writer = writer;
        this.reads = reads;
        this.secrets = secrets;
        this.signal = signal;
        this.audit = audit;
        this.options = options;
        this.time = time;
        this.logger = logger;

        // Redirects are not followed: a receiver could send the signed body anywhere, past the address guard.
        http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = targets.ConnectAsync,
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("DataVault-Webhooks", "1"));
    }

    /// <summary>Delivers what is due now, subscriptions side by side; returns when the next delivery will be due, if any is queued.</summary>
    public async Task<DateTimeOffset?> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var heads = Heads(null);
        await Parallel.ForEachAsync(
            heads,
            new ParallelOptions { MaxDegreeOfParallelism = options.Value.MaxParallelDeliveries, CancellationToken = cancellationToken },
            async (head, token) =>
            {
                var delivered = 0;
                for (var next = head; next is not null && delivered < DeliveriesPerTurn; next = Heads(head.SubscriptionId).SingleOrDefault())
                {
                    if (!await AttemptAsync(next, token))
                    {
                        return;
                    }

                    delivered++;
                }
            });

        using var connection = reads.Rent();
        return connection.Command(NextDueSql).ExecuteScalar() is string due ? StoredInstant.Parse(due) : null;
    }

    public override void Dispose()
    {
        http.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var woken = signal.Next;
            var wait = poll;
            try
            {
                if (await DeliverDueAsync(stoppingToken) is { } next)
                {
                    var untilNext = next - time.GetUtcNow();
                    wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < poll ? untilNext : poll;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The outbox could not be read or a claim not written: the deliveries stay queued for the next round.
                Log.WebhookRoundFailed(logger, exception);
            }

            try
            {
                await woken.WaitAsync(wait, time, stoppingToken);
            }
            catch (TimeoutException)
            {
                // Time for retries coming due, and for deliveries another process queued.
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>Due deliveries that head their subscription's queue (of one subscription, or of all).</summary>
    private List<Head> Heads(string? subscriptionId)
    {
        using var connection = reads.Rent();
        var command = connection.Command(HeadsSql, "$now", "$subscription", "$limit");
        command.Parameters[0].Value = StoredInstant.Format(time.GetUtcNow());
        command.Parameters[1].Value = (object?)subscriptionId ?? DBNull.Value;
        command.Parameters[2].Value = HeadsPerRound;
        var heads = new List<Head>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            heads.Add(new Head(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetInt64(2),
                reader.GetInt32(3),
                StoredInstant.Parse(reader.GetString(4)),
                reader.GetString(5),
                reader.GetString(6),
                (byte[])reader[7],
                reader.IsDBNull(8) ? null : (byte[])reader[8],
                reader.IsDBNull(9) ? null : StoredInstant.Parse(reader.GetString(9))));
        }

        return heads;
    }

    /// <summary>One attempt at <paramref name="head"/>; true when it was delivered, so the subscription's next may follow.</summary>
    private async Task<bool> AttemptAsync(Head head, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var attempt = head.Attempts + 1;
        var now = time.GetUtcNow();
        var deadline = head.QueuedAt + settings.GiveUpAfter;
        var retryAt = Min(now + Backoff(settings, attempt), deadline);
        if (!await writer.WriteAsync(new ClaimDeliveryWrite(head.DeliveryId, head.Attempts, retryAt, now), cancellationToken))
        {
            // Delivered, removed or taken by another dispatcher since it was read.
            return false;
        }

        var change = Event(head.Sequence);
        var entry = new AuditEvent(
            Actor.System(ActorId),
            AuditActions.WebhookDeliver,
            change.SubjectId,
            Fields: $"event:{change.Id},client:{head.ClientId},subscription:{head.SubscriptionId}");
        try
        {
            return await audit.RecordChangeAsync(
                entry,
                () => SendAsync(head, change, attempt, deadline, cancellationToken),
                delivered => (entry, delivered ? AuditOutcomes.Success : AuditOutcomes.Failed),
                cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: not sent unless the attempt is on record; the claim made it due again later.
            Log.WebhookAuditUnavailable(logger, head.SubscriptionId, change.Id);
            return false;
        }
    }

    private async Task<bool> SendAsync(Head head, ChangeEventView change, int attempt, DateTimeOffset deadline, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var body = JsonSerializer.SerializeToUtf8Bytes(new WebhookPayload(change.Type, change.OccurredAt, change), Json);
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds();
        var signatures = new List<string> { secrets.Unprotect(head.SubscriptionId, head.Secret).Sign(change.Id, timestamp, body) };
        if (head.PreviousSecret is not null && head.PreviousSecretUntil > time.GetUtcNow())
        {
            signatures.Add(secrets.Unprotect(head.SubscriptionId, head.PreviousSecret).Sign(change.Id, timestamp, body));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, head.Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("webhook-id", change.Id);
        request.Headers.Add("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture));

        // Standard Webhooks: several signatures, space-separated; the receiver accepts any one that verifies.
        request.Headers.TryAddWithoutValidation("webhook-signature", string.Join(' ', signatures));

        int? status = null;
        string? error = null;
        TimeSpan? retryAfter = null;
        using (var timeout = new CancellationTokenSource(settings.RequestTimeout, time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
                status = (int)response.StatusCode;
                retryAfter = RetryAfter(response, settings);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                error = "timeout";
            }
            catch (HttpRequestException exception)
            {
                error = Refused(exception) ? "refused-address" : "connection";
            }
        }

        var now = time.GetUtcNow();
        if (status is >= 200 and < 300)
        {
            await writer.WriteAsync(new DeliveredWrite(head.DeliveryId, head.ClientId, head.Sequence, status.Value, now), CancellationToken.None);
            Log.WebhookDelivered(logger, head.SubscriptionId, change.Id, attempt, status.Value);
            return true;
        }

        if (status == (int)HttpStatusCode.Gone)
        {
            await writer.WriteAsync(new SubscriptionGoneWrite(head.SubscriptionId, head.DeliveryId, now), CancellationToken.None);
            Log.WebhookSubscriptionGone(logger, head.SubscriptionId);
            return false;
        }

        var dead = now >= deadline;
        var next = Min(now + (retryAfter ?? Backoff(settings, attempt)), deadline);
        await writer.WriteAsync(new FailedAttemptWrite(head.DeliveryId, status, error, dead, next, now), CancellationToken.None);
        if (dead)
        {
            Log.WebhookDeadLettered(logger, head.SubscriptionId, change.Id, attempt, status, error);
        }
        else
        {
            Log.WebhookAttemptFailed(logger, head.SubscriptionId, change.Id, attempt, status, error, next);
        }

        return false;
    }

    private ChangeEventView Event(long sequence)
    {
        using var connection = reads.Rent();
        var command = connection.Command(EventSql, "$sequence");
        command.Parameters[0].Value = sequence;
        using var reader = command.ExecuteReader();
        if (!reader.Read())
        {
            throw new InvalidDataException("A queued webhook delivery names no change event.");
        }

        return new ChangeEventView(
            reader.GetString(0),
            reader.GetInt64(1),
            reader.GetString(2),
            StoredInstant.Parse(reader.GetString(3)),
            reader.IsDBNull(4) ? null : reader.GetString(4),
            ChangeFeedObserver.Names(reader.GetString(5)),
            ChangeFeedObserver.Names(reader.GetString(6)),
            reader.IsDBNull(7) ? null : reader.GetString(7),
            reader.IsDBNull(8) ? null : JsonSerializer.Deserialize(reader.GetString(8), ChangeJson.Default.DictionaryStringString));
    }

    /// <summary>
    /// The wait after failed attempt <paramref name="attempt"/>: <see cref="WebhookOptions.FirstRetryDelay"/> doubled
    /// per failure up to <see cref="WebhookOptions.MaxRetryDelay"/>, then a random half of it taken off ("equal
    /// jitter"), so receivers coming back are not met by every sender at once.
    /// </summary>
    internal static TimeSpan Backoff(WebhookOptions settings, int attempt)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var doubled = settings.FirstRetryDelay.Ticks * Math.Pow(2, Math.Min(attempt - 1, 30));
        var ceiling = Math.Min(doubled, settings.MaxRetryDelay.Ticks);
        return TimeSpan.FromTicks((long)(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2)));
    }

    /// <summary>The receiver's <c>Retry-After</c> (seconds or a date), at most <see cref="WebhookOptions.MaxRetryDelay"/>; null when it sent none.</summary>
    private TimeSpan? RetryAfter(HttpResponseMessage response, WebhookOptions settings)
    {
        var asked = response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - time.GetUtcNow(),
            _ => (TimeSpan?)null,
        };
        return asked is null ? null : asked < TimeSpan.Zero ? TimeSpan.Zero : asked > settings.MaxRetryDelay ? settings.MaxRetryDelay : asked;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static bool Refused(Exception? exception) =>
        exception is not null && (exception is WebhookTargetRefusedException || Refused(exception.InnerException));

    private sealed record Head(
        long DeliveryId,
        string SubscriptionId,
        long Sequence,
        int Attempts,
        DateTimeOffset QueuedAt,
        string ClientId,
        string Url,
        byte[] Secret,
        byte[]? PreviousSecret,
        DateTimeOffset? PreviousSecretUntil);
}

/// <summary>The body of a delivery, as Standard Webhooks lays it out: the type, when, and the event as the feed gives it.</summary>
internal sealed record WebhookPayload(string Type, DateTimeOffset Timestamp, ChangeEventView Data);

/// <summary>Takes a delivery for one attempt: counts it and moves its next attempt to the retry after it, before anything is sent.</summary>
internal sealed class ClaimDeliveryWrite(long id, int attemptsSeen, DateTimeOffset retryAt, DateTimeOffset now) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context) =>
        context.Execute(
            "UPDATE webhook_deliveries SET attempts = attempts + 1, next_attempt_at = $3, last_attempt_at = $4 WHERE id = $1 AND attempts = $2 AND state = 'pending';",
            id,
            attemptsSeen,
            retryAt,
            now) == 1;
}

/// <summary>The receiver answered 2xx: the delivery is done, and the recipient has acknowledged the event (GDPR Art. 19 evidence).</summary>
internal sealed class DeliveredWrite(long id, string clientId, long sequence, int status, DateTimeOffset now) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        context.Execute(
            "UPDATE webhook_deliveries SET state = 'delivered', last_status = $2, last_error = NULL, completed_at = $3 WHERE id = $1;",
            id,
            status,
            now);
        AcknowledgeWrite.Record(context, clientId, sequence, ChangeAcknowledgements.WebhookChannel, now);
        return true;
    }
}

/// <summary>410 Gone: the receiver says the endpoint is no more, so the subscription stops; its queue stays, to be seen and removed.</summary>
internal sealed class SubscriptionGoneWrite(string subscriptionId, long deliveryId, DateTimeOffset now) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        context.Execute("UPDATE webhook_deliveries SET last_status = 410, last_error = NULL WHERE id = $1;", deliveryId);
        return context.Execute(
            "UPDATE webhook_subscriptions SET disabled_at = $2, disabled_reason = 'gone' WHERE id = $1 AND disabled_at IS NULL;",
            subscriptionId,
            now) == 1;
    }
}

/// <summary>A failed attempt: retried at <paramref name="next"/>, or dead-lettered when the give-up period is over.</summary>
internal sealed class FailedAttemptWrite(long id, int? status, string? error, bool dead, DateTimeOffset next, DateTimeOffset now) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context) =>
        context.Execute(
            """
            UPDATE webhook_deliveries SET last_status = $2, last_error = $3,
                state = CASE WHEN $4 THEN 'dead' ELSE state END, completed_at = CASE WHEN $4 THEN $6 END, next_attempt_at = $5
            WHERE id = $1 AND state = 'pending';
            """,
            id,
            status,
            error,
            dead,
            next,
            now) == 1;
}
