using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Api.Consents;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Api.Endpoints;

/// <summary>Consents with proof (Art. 7), objections (Art. 21) and restriction (Art. 18) of one subject.</summary>
internal static class ConsentEndpoints
{
    public static void MapConsentEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subjects/{subjectId}")
            .WithTags("Consents")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<GlobalPrivacyControlFilter>()
            .AddEndpointFilter<AuditFilter>()
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status410Gone);

        group.MapPost("/consents", RecordConsent)
            .WithName("RecordConsent")
            .Audited(AuditActions.ConsentRecord)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Record a consent event")
            .WithDescription("Appends a consent event (given, refused, withdrawn, expired) with its proof for the purpose's current version, and returns it with a signed receipt. Withdrawing takes effect for the very next read. The client must be allowed the purpose (403 otherwise).")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);

        group.MapGet("/consents", GetConsentState)
            .WithName("GetConsentState")
            .Audited(AuditActions.ConsentRead)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Current consent state per purpose, or as at an instant")
            .WithDescription("For every purpose: whether a current, unexpired consent to the version in force exists, and the latest event. With `at`, answers as at that instant (e.g. \"did we have consent when we sent that e-mail?\").");

        group.MapGet("/consents/history", GetConsentHistory)
            .WithName("GetConsentHistory")
            .Audited(AuditActions.ConsentHistory)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("All consent events of a subject")
            .WithDescription("Every consent event, oldest first. Events are never changed or deleted, except by erasure of the subject.");

        group.MapGet("/consents/{eventId}/receipt", GetConsentReceipt)
            .WithName("GetConsentReceipt")
            .Audited(AuditActions.ConsentReceipt)
            .RequireScope(Scopes.SubjectsRead)
            .WithSummary("Signed receipt of a consent event")
            .WithDescription("A freshly signed receipt (JWS, ES256) for an existing consent event.");

        group.MapPost("/objections", Object)
            .WithName("RecordObjection")
            .Audited(AuditActions.ObjectionRecord)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Record an objection")
            .WithDescription("GDPR Art. 21: objects to one purpose, or to all processing when no purpose is given. Effective for the very next read.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapDelete("/objections", LiftObjection)
            .WithName("LiftObjection")
            .Audited(AuditActions.ObjectionLift)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Lift an objection")
            .WithDescription("Records that the subject withdrew an objection to `purpose`, one the client is registered for, with the `reason` given; nothing is recorded when no objection to it is in force. 403 with the reason in the Problem Details when the client may not lift it: an objection the subject made in the privacy portal or through Global Privacy Control, or one a compliance officer recorded, is lifted only by the subject or an officer, and an objection to a direct-marketing purpose (GDPR Art. 21(3)) by no client at all. `purpose` is required: an objection to all processing is lifted only by the subject or an officer.")
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapPost("/restriction", Restrict)
            .WithName("RestrictProcessing")
            .Audited(AuditActions.RestrictionRecord)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Restrict processing")
            .WithDescription("GDPR Art. 18: while restricted, no field is released for any purpose.");

        group.MapDelete("/restriction", LiftRestriction)
            .WithName("LiftRestriction")
            .Audited(AuditActions.RestrictionLift)
            .RequireScope(Scopes.ConsentsWrite)
            .WithSummary("Lift a restriction")
            .WithDescription("Ends a restriction of processing recorded by a client, with the `reason` given; nothing is recorded when none is in force. 403 with the reason in the Problem Details for a restriction the subject made in the privacy portal or a compliance officer recorded: only they lift it.")
            .ProducesProblem(StatusCodes.Status403Forbidden);
    }

    internal static async Task<Results<Created<ConsentReceiptResponse>, ProblemHttpResult>> RecordConsent(
        string subjectId,
        RecordConsentRequest request,
        CurrentCaller caller,
        AuditDetails audit,
        PolicyCatalogue catalogue,
        ConsentService consents,
        ConsentReceiptSigner receipts,
        CancellationToken cancellationToken)
    {
        if (Problems.ForPurpose(caller, catalogue, request.PurposeId, "purposeId") is { } refused)
        {
            return refused;
        }

        audit.PurposeId = request.PurposeId;

        var result = await consents.RecordAsync(
            subjectId,
            new RecordConsentCommand(
                request.PurposeId,
                request.State,
                request.OccurredAt,
                request.ExpiresAt,
                request.CollectionMethod ?? CollectionMethods.Api,
                request.NoticeLanguage,
                request.Evidence,
                caller.Actor),
            cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(result);
        }

        var receipt = await receipts.SignAsync(result.Value!, cancellationToken);
        return TypedResults.Created(
            $"/api/v1/subjects/{subjectId}/consents/{result.Value!.Id}/receipt",
            new ConsentReceiptResponse(ConsentEventResponse.From(result.Value), receipt));
    }

    internal static async Task<Results<Ok<ConsentStateResponse>, ProblemHttpResult>> GetConsentState(
        string subjectId, [FromQuery] DateTimeOffset? at, CurrentCaller caller, ConsentService consents, CancellationToken cancellationToken)
    {
        var result = await consents.GetStateAsync(subjectId, at, cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(result);
        }

        // A client sees the consents of the purposes it is registered for, not the subject's other choices.
        var view = result.Value! with { Purposes = result.Value.Purposes.Where(p => caller.MayUsePurpose(p.PurposeId)).ToList() };
        return TypedResults.Ok(ConsentStateResponse.From(view));
    }

    internal static async Task<Results<Ok<ConsentHistoryResponse>, ProblemHttpResult>> GetConsentHistory(
        string subjectId, CurrentCaller caller, ConsentService consents, CancellationToken cancellationToken)
    {
        var result = await consents.GetHistoryAsync(subjectId, cancellationToken);
        return result.Outcome == VaultOutcome.Ok
            ? TypedResults.Ok(new ConsentHistoryResponse(
                subjectId,
                result.Value!.Where(e => caller.MayUsePurpose(e.PurposeId)).Select(ConsentEventResponse.From).ToList()))
            : Problems.From(result);
    }

    internal static async Task<Results<Ok<ConsentReceiptResponse>, ProblemHttpResult>> GetConsentReceipt(
        string subjectId, string eventId, CurrentCaller caller, ConsentService consents, ConsentReceiptSigner receipts, CancellationToken cancellationToken)
    {
        var result = await consents.GetEventAsync(subjectId, eventId, cancellationToken);
        if (result.Outcome != VaultOutcome.Ok)
        {
            return Problems.From(result);
        }

        if (!caller.MayUsePurpose(result.Value!.PurposeId))
        {
            return Problems.NotFound();
        }

        var receipt = await receipts.SignAsync(result.Value!, cancellationToken);
        return TypedResults.Ok(new ConsentReceiptResponse(ConsentEventResponse.From(result.Value!), receipt));
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Object(
        string subjectId, ObjectionRequest request, CurrentCaller caller, AuditDetails audit, PolicyCatalogue catalogue, ConsentService consents, CancellationToken cancellationToken)
    {
        if (request.PurposeId is { } purpose && Problems.ForPurpose(caller, catalogue, purpose, "purposeId") is { } refused)
        {
            return refused;
        }

        audit.PurposeId = request.PurposeId;
        var result = await consents.ObjectAsync(subjectId, request.PurposeId, ChoiceSources.Api, request.Reason, caller.Actor, cancellationToken);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.NoContent() : Problems.From(result);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> LiftObjection(
        string subjectId, [FromQuery] string? purpose, [FromQuery] string reason, CurrentCaller caller, PolicyCatalogue catalogue, ConsentService consents, CancellationToken cancellationToken)
    {
        if (purpose is null)
        {
            // GDPR Art. 21: an objection to all processing is the subject's own instruction; a client may
            // record it on their behalf, but only the subject or an officer lifts it.
            return Problems.Invalid("purpose", "Name the purpose whose objection to lift. An objection to all processing is lifted only by the subject, in the privacy portal, or by a compliance officer.");
        }

        if (Problems.ForPurpose(caller, catalogue, purpose, "purpose") is { } refused)
        {
            return refused;
        }

        var result = await consents.LiftObjectionAsync(subjectId, purpose, ChoiceSources.Api, reason, caller.Actor, cancellationToken);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.NoContent() : Problems.From(result);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> Restrict(
        string subjectId, RestrictionRequest request, CurrentCaller caller, ConsentService consents, CancellationToken cancellationToken)
    {
        var result = await consents.RestrictAsync(subjectId, request.Reason, caller.Actor, cancellationToken);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.NoContent() : Problems.From(result);
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> LiftRestriction(
        string subjectId, [FromQuery] string reason, CurrentCaller caller, ConsentService consents, CancellationToken cancellationToken)
    {
        var result = await consents.LiftRestrictionAsync(subjectId, reason, caller.Actor, toldOtherwise: false, cancellationToken);
        return result.Outcome == VaultOutcome.Ok ? TypedResults.NoContent() : Problems.From(result);
    }
}
