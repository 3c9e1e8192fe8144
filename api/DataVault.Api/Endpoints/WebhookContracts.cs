using DataVault.Vault.Webhooks;

namespace DataVault.Api.Endpoints;

/// <summary>A new webhook subscription.</summary>
/// <param name="Url">Where events are posted: https (plain http only in Development), not a loopback, private or link-local address.</param>
/// <param name="EventTypes">The change types wanted (e.g. <c>consent.withdrawn</c>, <c>subject.erased</c>); omitted or empty for every type.</param>
internal sealed record CreateWebhookSubscriptionRequest(string? Url = null, IReadOnlyList<string>? EventTypes = null);

/// <summary>A secret rotation.</summary>
/// <param name="OverlapSeconds">How long the replaced secret still signs beside the new one; omitted for the vault's default (24 hours), 0 to stop it at once.</param>
internal sealed record RotateWebhookSecretRequest(int? OverlapSeconds = null);

/// <summary>A webhook subscription; never its secret.</summary>
/// <param name="Id">The subscription's id (<c>whk_…</c>).</param>
/// <param name="ClientId">The client whose change events it receives.</param>
/// <param name="Url">Where events are posted.</param>
/// <param name="EventTypes">The change types it receives; empty for every type.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="SecretRotatedAt">When its secret was last replaced.</param>
/// <param name="PreviousSecretValidUntil">Until when the replaced secret still signs deliveries (a second signature in <c>webhook-signature</c>).</param>
/// <param name="DisabledAt">When deliveries stopped: the receiver answered 410 Gone.</param>
/// <param name="DisabledReason"><c>gone</c> when the receiver answered 410.</param>
/// <param name="Pending">Deliveries waiting or being retried.</param>
/// <param name="DeadLettered">Deliveries given up on after the retry period; replay them once the receiver works.</param>
internal sealed record WebhookSubscriptionResponse(
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
    int DeadLettered)
{
    public static WebhookSubscriptionResponse From(WebhookSubscriptionView view) =>
        new(view.Id, view.ClientId, view.Url, view.EventTypes, view.CreatedAt, view.SecretRotatedAt, view.PreviousSecretValidUntil, view.DisabledAt, view.DisabledReason, view.Pending, view.DeadLettered);
}

/// <summary>A subscription with its signing secret, shown this once: store it to verify <c>webhook-signature</c>.</summary>
/// <param name="Subscription">The subscription.</param>
/// <param name="Secret">The signing secret, <c>whsec_</c> and base64 (Standard Webhooks); it is not shown again.</param>
internal sealed record WebhookSecretResponse(WebhookSubscriptionResponse Subscription, string Secret)
{
    public static WebhookSecretResponse From(WebhookSecretIssued issued) => new(WebhookSubscriptionResponse.From(issued.Subscription), issued.Secret);
}

/// <summary>The client's webhook subscriptions.</summary>
internal sealed record WebhookSubscriptionListResponse(IReadOnlyList<WebhookSubscriptionResponse> Items);

/// <summary>A delivery given up on.</summary>
/// <param name="EventId">The event (its <c>webhook-id</c>).</param>
/// <param name="EventType">The event's type.</param>
/// <param name="Attempts">How often it was tried.</param>
/// <param name="QueuedAt">When it was queued (or last replayed).</param>
/// <param name="LastAttemptAt">When it was last tried.</param>
/// <param name="LastStatus">The receiver's last HTTP status; null when it gave none.</param>
/// <param name="LastError"><c>timeout</c>, <c>connection</c> or <c>refused-address</c> when there was no HTTP answer.</param>
internal sealed record WebhookDeliveryResponse(string EventId, string EventType, int Attempts, DateTimeOffset QueuedAt, DateTimeOffset? LastAttemptAt, int? LastStatus, string? LastError)
{
    public static WebhookDeliveryResponse From(WebhookDeliveryView view) =>
        new(view.EventId, view.EventType, view.Attempts, view.QueuedAt, view.LastAttemptAt, view.LastStatus, view.LastError);
}

/// <summary>The subscription's dead-lettered deliveries, oldest first.</summary>
internal sealed record WebhookDeliveryListResponse(IReadOnlyList<WebhookDeliveryResponse> Items);

/// <summary>How many dead-lettered deliveries were queued again.</summary>
internal sealed record WebhookReplayResponse(int Replayed);

/// <summary>Events the client has applied, by id.</summary>
/// <param name="EventIds">Ids (<c>evt_…</c>) of events from the client's own feed; at most 1000.</param>
internal sealed record AcknowledgeChangesRequest(IReadOnlyList<string>? EventIds = null);

/// <summary>How many of the events were acknowledged now (the others had been already).</summary>
internal sealed record AcknowledgeChangesResponse(int Acknowledged);

/// <summary>One recipient told of one event (GDPR Art. 19), and whether it acknowledged.</summary>
/// <param name="ClientId">The recipient.</param>
/// <param name="EventId">The event.</param>
/// <param name="Sequence">The event's sequence number.</param>
/// <param name="Type">The event's type.</param>
/// <param name="SubjectId">The subject concerned.</param>
/// <param name="OccurredAt">When the change was committed.</param>
/// <param name="NotifiedAt">When the recipient was told: the event was put in its feed and queued for its webhooks.</param>
/// <param name="AcknowledgedAt">When the recipient acknowledged it; null while outstanding.</param>
/// <param name="AcknowledgedBy"><c>webhook</c> (its endpoint answered 2xx) or <c>feed</c> (acknowledged through the API).</param>
internal sealed record ChangeNoticeResponse(
    string ClientId,
    string EventId,
    long Sequence,
    string Type,
    string? SubjectId,
    DateTimeOffset OccurredAt,
    DateTimeOffset NotifiedAt,
    DateTimeOffset? AcknowledgedAt,
    string? AcknowledgedBy)
{
    public static ChangeNoticeResponse From(ChangeNoticeView view) =>
        new(view.ClientId, view.EventId, view.Sequence, view.Type, view.SubjectId, view.OccurredAt, view.NotifiedAt, view.AcknowledgedAt, view.AcknowledgedBy);
}

/// <summary>Erasures, rectifications and restrictions recipients were told of and have not acknowledged, oldest first.</summary>
internal sealed record OutstandingChangesResponse(IReadOnlyList<ChangeNoticeResponse> Items);
