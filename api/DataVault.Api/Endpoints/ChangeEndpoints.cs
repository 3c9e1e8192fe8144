using System.Globalization;
using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
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
