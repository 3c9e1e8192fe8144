using System.Globalization;
using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>
/// A client's webhook subscriptions: the change feed pushed, signed as Standard Webhooks asks (GDPR Art. 19). A client
/// manages only its own; another's is not found.
/// </summary>
internal static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/webhooks/subscriptions")
            .WithTags("Webhooks")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapPost("/", Create)
            .WithName("CreateWebhookSubscription")
            .Audited(AuditActions.WebhookSubscriptionCreate)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Subscribe to the client's change events by webhook")
            .WithDescription(
                "The events of the client's change feed are also posted to `url`, signed as Standard Webhooks asks (`webhook-id`, " +
                "`webhook-timestamp`, `webhook-signature`). The answer holds the signing secret, shown only this once. `url` must be https " +
                "(http only in Development) and not a loopback, private or link-local address. `eventTypes` narrows the events; omitted, every type.")
            .ProducesValidationProblem();

        group.MapGet("/", List)
            .WithName("ListWebhookSubscriptions")
            .Audited(AuditActions.WebhookSubscriptionRead)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("The client's webhook subscriptions")
            .WithDescription("Every subscription of the client, with how many deliveries wait and how many were given up on; never a secret.");

        group.MapGet("/{subscriptionId}", Get)
            .WithName("GetWebhookSubscription")
            .Audited(AuditActions.WebhookSubscriptionRead)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("One webhook subscription")
            .WithDescription("The subscription, never its secret. Another client's subscription is 404.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{subscriptionId}", Delete)
            .WithName("DeleteWebhookSubscription")
            .Audited(AuditActions.WebhookSubscriptionDelete)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Remove a webhook subscription")
            .WithDescription("Stops deliveries and drops those still queued; the feed still holds every event. Acknowledgements already recorded stay.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{subscriptionId}/secret", RotateSecret)
            .WithName("RotateWebhookSecret")
            .Audited(AuditActions.WebhookSecretRotate)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Replace a subscription's signing secret")
            .WithDescription(
                "A new secret, shown only this once. The replaced one keeps signing beside it for `overlapSeconds` (default 24 hours): " +
                "during the overlap `webhook-signature` carries two signatures, space-separated, so the receiver can switch without missing a delivery.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapGet("/{subscriptionId}/dead-letters", DeadLetters)
            .WithName("ListWebhookDeadLetters")
            .Audited(AuditActions.WebhookSubscriptionRead)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Deliveries given up on")
            .WithDescription("Deliveries retried for the whole retry period (default 24 hours) without a 2xx, oldest first, with the receiver's last answer.")
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{subscriptionId}/dead-letters/replay", Replay)
            .WithName("ReplayWebhookDeadLetters")
            .Audited(AuditActions.WebhookReplay)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Send deliveries given up on again")
            .WithDescription("Queues every dead-lettered delivery again, in order, with a fresh retry period. Each keeps its event id, so the receiver can deduplicate.")
            .ProducesProblem(StatusCodes.Status404NotFound);
    }

    internal static async Task<Results<Created<WebhookSecretResponse>, ProblemHttpResult>> Create(
        CreateWebhookSubscriptionRequest request, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit, CancellationToken cancellationToken)
    {
        var result = await subscriptions.CreateAsync(caller.RequiredClient.Id, request.Url, request.EventTypes, cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(result);
        }

        audit.Fields = result.Value!.Subscription.Id;
        return TypedResults.Created($"/api/v1/webhooks/subscriptions/{result.Value.Subscription.Id}", WebhookSecretResponse.From(result.Value));
    }

    internal static Ok<WebhookSubscriptionListResponse> List(CurrentCaller caller, WebhookSubscriptions subscriptions) =>
        TypedResults.Ok(new WebhookSubscriptionListResponse(subscriptions.List(caller.RequiredClient.Id).Select(WebhookSubscriptionResponse.From).ToList()));

    internal static Results<Ok<WebhookSubscriptionResponse>, ProblemHttpResult> Get(
        string subscriptionId, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit)
    {
        audit.Fields = subscriptionId.Length <= 64 ? subscriptionId : null;
        var result = subscriptions.Get(caller.RequiredClient.Id, subscriptionId);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.Ok(WebhookSubscriptionResponse.From(result.Value!)) : NotFound();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Delete(
        string subscriptionId, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit, CancellationToken cancellationToken)
    {
        audit.Fields = subscriptionId.Length <= 64 ? subscriptionId : null;
        var result = await subscriptions.DeleteAsync(caller.RequiredClient.Id, subscriptionId, cancellationToken);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.NoContent() : NotFound();
    }

    internal static async Task<Results<Ok<WebhookSecretResponse>, ProblemHttpResult>> RotateSecret(
        string subscriptionId, RotateWebhookSecretRequest? request, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit, CancellationToken cancellationToken)
    {
        audit.Fields = subscriptionId.Length <= 64 ? subscriptionId : null;
        TimeSpan? overlap = request?.OverlapSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null;
        var result = await subscriptions.RotateSecretAsync(caller.RequiredClient.Id, subscriptionId, overlap, cancellationToken);
        return result.Outcome switch
        {
            VaultOutcome.Ok => TypedResults.Ok(WebhookSecretResponse.From(result.Value!)),
            VaultOutcome.Invalid => Problems.From(result),
            _ => NotFound(),
        };
    }

    internal static Results<Ok<WebhookDeliveryListResponse>, ProblemHttpResult> DeadLetters(
        string subscriptionId, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit)
    {
        audit.Fields = subscriptionId.Length <= 64 ? subscriptionId : null;
        var result = subscriptions.DeadLetters(caller.RequiredClient.Id, subscriptionId);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(new WebhookDeliveryListResponse(result.Value!.Select(WebhookDeliveryResponse.From).ToList()))
            : NotFound();
    }

    internal static async Task<Results<Ok<WebhookReplayResponse>, ProblemHttpResult>> Replay(
        string subscriptionId, CurrentCaller caller, WebhookSubscriptions subscriptions, AuditDetails audit, CancellationToken cancellationToken)
    {
        var result = await subscriptions.ReplayAsync(caller.RequiredClient.Id, subscriptionId, cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        audit.Fields = string.Create(CultureInfo.InvariantCulture, $"{subscriptionId},replayed:{result.Value}");
        return TypedResults.Ok(new WebhookReplayResponse(result.Value));
    }

    private static ProblemHttpResult NotFound() => TypedResults.Problem(
        statusCode: StatusCodes.Status404NotFound,
        title: "Not found",
        detail: "This client has no such webhook subscription.");
}
