using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Webhooks;

/// <summary>A webhook subscription as its owner and administrators see it: never its secret.</summary>
/// <param name="Id">The subscription's id (<c>whk_…</c>).</param>
/// <param name="ClientId">The client whose events it receives.</param>
/// <param name="Url">Where deliveries are posted.</param>
/// <param name="EventTypes">The change types it receives; empty for every type.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="SecretRotatedAt">When its secret was last replaced, if ever.</param>
/// <param name="PreviousSecretValidUntil">Until when the replaced secret still signs deliveries beside the new one.</param>
/// <param name="DisabledAt">When deliveries stopped, if they did.</param>
/// <param name="DisabledReason"><c>gone</c>: the receiver answered 410 Gone.</param>
/// <param name="Pending">Deliveries waiting or being retried.</param>
/// <param name="DeadLettered">Deliveries given up on; replay them once the receiver works.</param>
public sealed record WebhookSubscriptionView(
    string Id,
    string ClientId,
    string Url,
    IReadOnlyList<string> EventTypes,
    DateTimeOffset CreatedAt,
    DateTimeOffset? SecretRotatedAt,
    DateTimeOffset? PreviousSecretValidUntil,
    DateTimeOffset? DisabledAt,
    string? DisabledReason,
    int Pending,
    int DeadLettered);

/// <summary>A new secret, shown once, and until when the one it replaced still signs too.</summary>
public sealed record WebhookSecretIssued(WebhookSubscriptionView Subscription, string Secret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>A delivery given up on: which event, how often it was tried, and what the receiver last answered.</summary>
public sealed record WebhookDeliveryView(string EventId, string EventType, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt, int? LastStatus, string? LastError);

/// <summary>
/// Webhook subscriptions, per client: created with a URL (<see cref="WebhookTargets"/>) and the event types wanted, a
/// secret shown once and rotatable with an overlap in which both secrets sign; dead-lettered deliveries listed and
/// replayed. A client sees only its own subscriptions (another's is not found); administrators pass no client.
/// </summary>
public sealed class WebhookSubscriptions
{
    public const string IdPrefix = "whk_";

    private readonly VaultWriter writer;
    private readonly VaultReadConnections reads;
    private readonly WebhookTargets targets;
    private readonly WebhookSecretProtector secrets;
    private readonly WebhookSignal signal;
    private readonly ClientRegistry clients;
    private readonly IOptions<WebhookOptions> options;
    private readonly TimeProvider time;
    private readonly ILogger<WebhookSubscriptions> logger;

    internal WebhookSubscriptions(
        VaultWriter writer,
        VaultReadConnections reads,
        WebhookTargets targets,
        WebhookSecretProtector secrets,
        WebhookSignal signal,
        ClientRegistry clients,
        IOptions<WebhookOptions> options,
        TimeProvider time,
        ILogger<WebhookSubscriptions> logger)
    {
        this.writer = writer;
        this.reads = reads;
        this.targets = targets;
        this.secrets = secrets;
        this.signal = signal;
        this.clients = clients;
        this.options = options;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>Subscribes <paramref name="clientId"/> to its events at <paramref name="url"/>; the secret in the answer is never shown again.</summary>
    public async Task<VaultResult<WebhookSecretIssued>> CreateAsync(string clientId, string? url, IReadOnlyList<string>? eventTypes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        var errors = new Dictionary<string, string[]>();
        if (clients.Find(clientId) is null)
        {
            errors["clientId"] = ["Is not a registered client."];
        }

        if (targets.Check(url) is { } refusal)
        {
            errors["url"] = [refusal];
        }

        var types = (eventTypes ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (types.FirstOrDefault(t => !ChangeTypes.Published.Contains(t)) is { } unknown)
        {
            errors["eventTypes"] = [$"'{(unknown.Length > 40 ? unknown[..40] : unknown)}' is not a change type; known: {string.Join(", ", ChangeTypes.Published)}."];
        }

        if (errors.Count > 0)
        {
            return VaultResult<WebhookSecretIssued>.Invalid(errors);
        }

        var id = IdPrefix + RecordId.New(time);
        var secret = WebhookSecret.New();
        var now = time.GetUtcNow();
        var created = await writer.WriteAsync(
            new CreateSubscriptionWrite(id, clientId, url!, string.Join(',', types), secrets.Protect(id, secret), now, options.Value.MaxSubscriptionsPerClient),
            cancellationToken);
        if (!created)
        {
            return VaultResult<WebhookSecretIssued>.Invalid(new Dictionary<string, string[]>
            {
                ["url"] = [$"The client has {options.Value.MaxSubscriptionsPerClient} subscriptions already; remove one first."],
            });
        }

        Log.WebhookSubscribed(logger, id, clientId);
        return VaultResult<WebhookSecretIssued>.Ok(new WebhookSecretIssued(Find(id, clientId)!, secret.Reveal(), null));
    }

    /// <summary>The subscriptions of <paramref name="clientId"/>, or of every client when it is null.</summary>
    public IReadOnlyList<WebhookSubscriptionView> List(string? clientId)
    {
        using var connection = reads.Rent();
        var command = connection.Command(ViewSql + " WHERE $client IS NULL OR s.client_id = $client ORDER BY s.client_id, s.id;", "$client");
        command.Parameters[0].Value = (object?)clientId ?? DBNull.Value;
        return Views(command);
    }

    /// <summary>One subscription; not found when it is another client's.</summary>
    public VaultResult<WebhookSubscriptionView> Get(string? clientId, string id) =>
        Find(id, clientId) is { } view ? VaultResult<WebhookSubscriptionView>.Ok(view) : VaultResult<WebhookSubscriptionView>.NotFound();

    /// <summary>Removes the subscription and its queued deliveries; acknowledgements already recorded stay (they are evidence).</summary>
    public async Task<VaultResult<WebhookSubscriptionView>> DeleteAsync(string? clientId, string id, CancellationToken cancellationToken)
    {
        if (Find(id, clientId) is not { } view || !await writer.WriteAsync(new DeleteSubscriptionWrite(id), cancellationToken))
        {
            return VaultResult<WebhookSubscriptionView>.NotFound();
        }

        Log.WebhookUnsubscribed(logger, id, view.ClientId);
        return VaultResult<WebhookSubscriptionView>.Ok(view);
    }

    /// <summary>
    /// Replaces the secret; the one replaced keeps signing beside it for <paramref name="overlap"/> (default
    /// <see cref="WebhookOptions.SecretOverlap"/>), so the receiver can switch without losing a delivery.
    /// </summary>
    public async Task<VaultResult<WebhookSecretIssued>> RotateSecretAsync(string? clientId, string id, TimeSpan? overlap, CancellationToken cancellationToken)
    {
        if (overlap is { } asked && (asked < TimeSpan.Zero || asked > TimeSpan.FromDays(30)))
        {
            return VaultResult<WebhookSecretIssued>.Invalid(new Dictionary<string, string[]> { ["overlapSeconds"] = ["Must be between 0 and 30 days."] });
        }

        if (Find(id, clientId) is null)
        {
            return VaultResult<WebhookSecretIssued>.NotFound();
        }

        var secret = WebhookSecret.New();
        var now = time.GetUtcNow();
        var until = now + (overlap ?? options.Value.SecretOverlap);
        if (!await writer.WriteAsync(new RotateSecretWrite(id, secrets.Protect(id, secret), now, until), cancellationToken))
        {
            return VaultResult<WebhookSecretIssued>.NotFound();
        }

        Log.WebhookSecretRotated(logger, id, until);
        var view = Find(id, clientId)!;
        return VaultResult<WebhookSecretIssued>.Ok(new WebhookSecretIssued(view, secret.Reveal(), view.PreviousSecretValidUntil));
    }

    /// <summary>The subscription's dead-lettered deliveries, oldest first.</summary>
    public VaultResult<IReadOnlyList<WebhookDeliveryView>> DeadLetters(string? clientId, string id)
    {
        if (Find(id, clientId) is null)
        {
            return VaultResult<IReadOnlyList<WebhookDeliveryView>>.NotFound();
        }

        using var connection = reads.Rent();
        var command = connection.Command(
            """
            SELECT e.id, e.type, d.attempts, d.created_at, d.last_attempt_at, d.last_status, d.last_error
            FROM webhook_deliveries d JOIN change_events e ON e.sequence = d.sequence
            WHERE d.subscription_id = $id AND d.state = 'dead' ORDER BY d.id LIMIT 1000;
            """,
            "$id");
        command.Parameters[0].Value = id;
        var dead = new List<WebhookDeliveryView>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            dead.Add(new WebhookDeliveryView(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetInt32(2),
                StoredInstant.Parse(reader.GetString(3)),
                reader.IsDBNull(4) ? null : StoredInstant.Parse(reader.GetString(4)),
                reader.IsDBNull(5) ? null : reader.GetInt32(5),
                reader.IsDBNull(6) ? null : reader.GetString(6)));
        }

        return VaultResult<IReadOnlyList<WebhookDeliveryView>>.Ok(dead);
    }

    /// <summary>Queues every dead-lettered delivery of the subscription again, in their order, with a fresh give-up period; returns how many.</summary>
    public async Task<VaultResult<int>> ReplayAsync(string? clientId, string id, CancellationToken cancellationToken)
    {
        if (Find(id, clientId) is null)
        {
            return VaultResult<int>.NotFound();
        }

        var replayed = await writer.WriteAsync(new ReplayDeadLettersWrite(id, time.GetUtcNow()), cancellationToken);
        Log.WebhookDeliveriesReplayed(logger, id, replayed);
        signal.Notify();
        return VaultResult<int>.Ok(replayed);
    }

    private const string ViewSql = """
        SELECT s.id, s.client_id, s.url, s.event_types, s.created_at, s.secret_rotated_at, s.previous_secret_until, s.disabled_at, s.disabled_reason,
            (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.state = 'pending'),
            (SELECT COUNT(*) FROM webhook_deliveries d WHERE d.subscription_id = s.id AND d.state = 'dead')
        FROM webhook_subscriptions s
        """;

    private WebhookSubscriptionView? Find(string id, string? clientId)
    {
        using var connection = reads.Rent();
        var command = connection.Command(ViewSql + " WHERE s.id = $id AND ($client IS NULL OR s.client_id = $client);", "$id", "$client");
        command.Parameters[0].Value = id;
        command.Parameters[1].Value = (object?)clientId ?? DBNull.Value;
        return Views(command).SingleOrDefault();
    }

    private static List<WebhookSubscriptionView> Views(SqliteCommand command)
    {
        var views = new List<WebhookSubscriptionView>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            views.Add(new WebhookSubscriptionView(
                reader.GetString(0),
                reader.GetString(1),
                reader.GetString(2),
                ChangeFeedObserver.Names(reader.GetString(3)),
                StoredInstant.Parse(reader.GetString(4)),
                Instant(reader, 5),
                Instant(reader, 6),
                Instant(reader, 7),
                reader.IsDBNull(8) ? null : reader.GetString(8),
                reader.GetInt32(9),
                reader.GetInt32(10)));
        }

        return views;
    }

    private static DateTimeOffset? Instant(SqliteDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : StoredInstant.Parse(reader.GetString(ordinal));
}

/// <summary>Protects subscription secrets at rest: one Data Protection purpose, narrowed to the subscription, behind a versioned envelope.</summary>
internal sealed class WebhookSecretProtector(IDataProtectionProvider dataProtection)
{
    private static readonly byte[] Envelope = "ws1:"u8.ToArray();

    private readonly IDataProtector _protector = dataProtection.CreateProtector("DataVault.Vault.Webhooks.Secret.v1");

    public byte[] Protect(string subscriptionId, WebhookSecret secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        return [.. Envelope, .. _protector.CreateProtector(subscriptionId).Protect(secret.Key.ToArray())];
    }

    public WebhookSecret Unprotect(string subscriptionId, byte[] stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        if (!stored.AsSpan().StartsWith(Envelope))
        {
            throw new InvalidDataException("A webhook secret is stored in an unknown format.");
        }

        var key = _protector.CreateProtector(subscriptionId).Unprotect(stored[Envelope.Length..]);
        return WebhookSecret.TryParse(Convert.ToBase64String(key), out var secret) ? secret! : throw new InvalidDataException("A webhook secret is empty.");
    }
}

internal sealed class CreateSubscriptionWrite(string id, string clientId, string url, string eventTypes, byte[] secret, DateTimeOffset now, int limit) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        if ((long)context.Scalar("SELECT COUNT(*) FROM webhook_subscriptions WHERE client_id = $1;", clientId)! >= limit)
        {
            return false;
        }

        context.Execute(
            "INSERT INTO webhook_subscriptions (id, client_id, url, event_types, secret, created_at) VALUES ($1, $2, $3, $4, $5, $6);",
            id,
            clientId,
            url,
            eventTypes,
            secret,
            now);
        return true;
    }
}

internal sealed class DeleteSubscriptionWrite(string id) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        context.Execute("DELETE FROM webhook_deliveries WHERE subscription_id = $1;", id);
        return context.Execute("DELETE FROM webhook_subscriptions WHERE id = $1;", id) == 1;
    }
}

/// <summary>The new secret signs from now; the current one becomes the previous, signing beside it until <paramref name="until"/>.</summary>
internal sealed class RotateSecretWrite(string id, byte[] secret, DateTimeOffset now, DateTimeOffset until) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context) =>
        context.Execute(
            """
            UPDATE webhook_subscriptions
            SET previous_secret = CASE WHEN $4 > $3 THEN secret END, previous_secret_until = CASE WHEN $4 > $3 THEN $4 END,
                secret = $2, secret_rotated_at = $3
            WHERE id = $1;
            """,
            id,
            secret,
            now,
            until) == 1;
}

internal sealed class ReplayDeadLettersWrite(string id, DateTimeOffset now) : VaultWrite<int>
{
    protected override int Execute(VaultWriteContext context) =>
        context.Execute(
            """
            UPDATE webhook_deliveries SET state = 'pending', attempts = 0, created_at = $2, next_attempt_at = $2, completed_at = NULL
            WHERE subscription_id = $1 AND state = 'dead';
            """,
            id,
            now);
}
