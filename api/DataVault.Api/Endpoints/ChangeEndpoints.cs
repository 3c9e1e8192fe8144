using System.Globalization;
using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>The change feed: how a client behind a firewall learns of withdrawals, objections, restrictions, rectifications and erasures (GDPR Art. 19).</summary>
internal static class ChangeEndpoints
{
    public static void MapChangeEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/changes")
            .WithTags("Changes")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapGet("/", ReadChanges)
            .WithName("ReadChanges")
            .Audited(AuditActions.ChangesRead)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("The client's change feed")
            .WithDescription(
                "The changes this client must hear of, in order: withdrawals, objections, restrictions, rectifications and erasures concerning " +
                "data it received or provided, and new consents for its purposes. Pass the previous page's `next` as `after` to read on; nothing " +
                "is skipped or repeated. With `wait` (seconds, at most 30) an empty page waits for the next change. A cursor from before a restore " +
                "of the vault answers 410: read again from the start and deduplicate by event id.")
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPost("/acknowledgements", Acknowledge)
            .WithName("AcknowledgeChanges")
            .Audited(AuditActions.ChangesAcknowledge)
            .RequireScope(Scopes.ChangesRead)
            .WithSummary("Acknowledge applied changes")
            .WithDescription(
                "Tells the vault the client has applied these events of its feed (by `id`): the evidence that a recipient was told of an " +
                "erasure, rectification or restriction (GDPR Art. 19). A webhook delivery answered 2xx acknowledges its event by itself. All or " +
                "nothing: an id that is not an event of the client's feed is a 400 and nothing is recorded. Acknowledging again changes nothing.")
            .ProducesValidationProblem();

        group.MapGet("/outstanding", Outstanding)
            .WithName("ListOutstandingChanges")
            .Audited(AuditActions.ChangesOutstanding)
            .RequireScope(Scopes.AuditRead)
            .WithSummary("Changes recipients have not acknowledged")
            .WithDescription(
                "For officers (`audit.read`): every erasure, rectification and restriction event a recipient was told of but has not " +
                "acknowledged (by webhook or through the feed), oldest first, at most `limit` (default 100, at most 1000).")
            .ProducesValidationProblem();
    }

    internal static async Task<Results<Ok<AcknowledgeChangesResponse>, ProblemHttpResult>> Acknowledge(
        AcknowledgeChangesRequest request, CurrentCaller caller, ChangeAcknowledgements acknowledgements, AuditDetails audit, CancellationToken cancellationToken)
    {
        var result = await acknowledgements.AcknowledgeAsync(caller.RequiredClient.Id, request.EventIds, cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(result);
        }

        audit.Fields = string.Create(CultureInfo.InvariantCulture, $"events:{request.EventIds!.Count},new:{result.Value}");
        return TypedResults.Ok(new AcknowledgeChangesResponse(result.Value));
    }

    internal static Results<Ok<OutstandingChangesResponse>, ProblemHttpResult> Outstanding([FromQuery] int? limit, ChangeAcknowledgements acknowledgements)
    {
        var size = limit ?? 100;
        if (size is < 1 or > ChangeAcknowledgements.MaxPerRequest)
        {
            return Problems.Invalid("limit", $"Must be between 1 and {ChangeAcknowledgements.MaxPerRequest}.");
        }

        return TypedResults.Ok(new OutstandingChangesResponse(acknowledgements.Outstanding(size).Select(ChangeNoticeResponse.From).ToList()));
    }

    internal static async Task<Results<Ok<ChangeFeedResponse>, ProblemHttpResult>> ReadChanges(
        [FromQuery] string? after,
        [FromQuery] int? limit,
        [FromQuery] int? wait,
        CurrentCaller caller,
        ChangeFeed feed,
        AuditDetails audit,
        CancellationToken cancellationToken)
    {
        var pageSize = limit ?? 100;
        if (pageSize is < 1 or > ChangeFeed.MaxPageSize)
        {
            return Problems.Invalid("limit", $"Must be between 1 and {ChangeFeed.MaxPageSize}.");
        }

        var seconds = wait ?? 0;
        if (seconds < 0 || seconds > ChangeFeed.MaxWait.TotalSeconds)
        {
            return Problems.Invalid("wait", $"Must be between 0 and {ChangeFeed.MaxWait.TotalSeconds} seconds.");
        }

        var page = await feed.ReadAsync(caller.RequiredClient.Id, after, pageSize, TimeSpan.FromSeconds(seconds), cancellationToken);
        switch (page.Outcome)
        {
            case VaultOutcome.Gone:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status410Gone,
                    title: "Cursor from before a restore",
                    detail: "The vault was restored from a backup after this cursor was given out. Read the feed again from the start (no 'after') and skip the event ids already applied.");
            case not VaultOutcome.Ok:
                return Problems.From(page);
        }

        audit.Fields = string.Create(CultureInfo.InvariantCulture, $"events:{page.Value!.Events.Count}");
        return TypedResults.Ok(new ChangeFeedResponse(page.Value.Events.Select(ChangeEventResponse.From).ToList(), page.Value.Next));
    }
}
