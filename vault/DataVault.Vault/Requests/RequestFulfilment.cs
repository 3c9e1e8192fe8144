using System.Text.Json;
using DataVault.Policies.Decisions;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Requests;

/// <summary>The operations an officer takes to fulfil a data-subject request (GDPR Art. 15 to 21, and Art. 7(3)).</summary>
public static class FulfilmentActions
{
    /// <summary>Art. 15 and 20: e-mail the subject a one-time link to download the export of their data (<see cref="RequestExportLinks"/>).</summary>
    public const string ExportLink = "export-link";

    /// <summary>Art. 16: new values for the named fields.</summary>
    public const string Rectify = "rectify";

    /// <summary>Art. 17: erase the subject by crypto-shredding.</summary>
    public const string Erase = "erase";

    /// <summary>Art. 18: restrict all processing.</summary>
    public const string Restrict = "restrict";

    /// <summary>Art. 21: object to a purpose, or to all processing.</summary>
    public const string Objection = "object";

    /// <summary>Art. 7(3): withdraw the consent given to a purpose.</summary>
    public const string WithdrawConsent = "withdraw-consent";

    public static IReadOnlyList<string> All { get; } = [ExportLink, Rectify, Erase, Restrict, Objection, WithdrawConsent];
}

/// <summary>
/// What to do for a request: an action of <see cref="FulfilmentActions"/>, with the <paramref name="Fields"/> to
/// rectify, the <paramref name="PurposeId"/> objected to or whose consent is withdrawn, and the
/// <paramref name="Reason"/> of a restriction or an objection.
/// </summary>
public sealed record FulfilmentCommand(string? Action, IReadOnlyDictionary<string, JsonElement>? Fields = null, string? PurposeId = null, string? Reason = null);

/// <summary>An action taken for a request: which, the history entry's detail, and, for an erasure, its receipt.</summary>
public sealed record FulfilmentDone(string Action, string Detail, ErasureReceipt? Erasure = null, ExportLinkIssued? ExportLink = null);

/// <summary>An export link e-mailed to the subject's address on record: where it went (masked) and until when it works.</summary>
public sealed record ExportLinkIssued(string SentTo, DateTimeOffset ExpiresAt);

/// <summary>
/// The result of fulfilling a request: the request as it then stands and what was done, or why not. An operation
/// the subject's state refuses answers <see cref="RequestOutcome.Conflict"/> with its reason in <see cref="Conflict"/>.
/// </summary>
public sealed record FulfilmentResult(
    RequestOutcome Outcome, RequestDetail? Request, FulfilmentDone? Done = null, IReadOnlyDictionary<string, string[]>? Errors = null, string? Conflict = null)
{
    internal static FulfilmentResult From(RequestResult result) => new(result.Outcome, result.Request, null, result.Errors, result.Conflict);

    internal static FulfilmentResult Invalid(string key, string message) => From(RequestResult.Invalid(key, message));
}

/// <summary>
/// Fulfils a request with the vault's own operations (GDPR Art. 12(3): "action taken on a request"): the officer
/// names the action, and the vault takes it for the subject the request concerns, as the actor acting for the
/// request (<see cref="Actor.ForRequest"/>), so its audit entry and its change events name the request. The
/// operation's own audit code is recorded (attempted first, then its outcome), and the request's history gets an
/// <see cref="RequestEventKinds.Action"/> entry with the operation's codes and ids, never a value.
/// </summary>
/// <remarks>
/// Only a request in progress is acted on: its identity was checked, or an officer moved it on without one, and
/// it is not closed. An operation that fails (an unknown purpose, a field that does not validate) changes nothing
/// and leaves the history as it was.
/// </remarks>
public sealed class RequestFulfilment
{
    private readonly RequestService requests;
    private readonly SubjectService subjects;
    private readonly ConsentService consents;
    private readonly AuditRecorder audit;
    private readonly RequestExportLinks exportLinks;
    private readonly ILogger<RequestFulfilment> logger;

    internal RequestFulfilment(
        RequestService requests, SubjectService subjects, ConsentService consents, AuditRecorder audit, RequestExportLinks exportLinks, ILogger<RequestFulfilment> logger)
    {
        this.exportLinks = exportLinks;
        this.requests = requests;
        this.subjects = subjects;
        this.consents = consents;
        this.audit = audit;
        this.logger = logger;
    }

    /// <summary>Takes <paramref name="command"/>'s action for request <paramref name="requestId"/>.</summary>
    /// <exception cref="AuditUnavailableException">The audit trail could not record the operation: fail closed (503).</exception>
    public async Task<FulfilmentResult> FulfilAsync(string requestId, FulfilmentCommand command, Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(actor);
        if (command.Action is not { } action || !FulfilmentActions.All.Contains(action, StringComparer.Ordinal))
        {
            return FulfilmentResult.Invalid("action", $"Must be one of {string.Join(", ", FulfilmentActions.All)}.");
        }

        if (await requests.GetAsync(requestId, cancellationToken) is not { } detail)
        {
            return FulfilmentResult.From(RequestResult.Missing);
        }

        var request = detail.Request;
        if (request.Status != RequestStatuses.InProgress)
        {
            return FulfilmentResult.From(RequestResult.Conflicting($"Only a request in progress is acted on; this one is {request.Status}."));
        }

        if (request.SubjectId is not { } subjectId)
        {
            return FulfilmentResult.From(RequestResult.Conflicting("The request is not linked to a subject: link it and check the requester's identity first."));
        }

        var acting = actor.ForRequest(request.Id);
        var done = action switch
        {
            FulfilmentActions.Rectify => await RectifyAsync(subjectId, command, acting, cancellationToken),
            FulfilmentActions.Erase => await EraseAsync(subjectId, acting, cancellationToken),
            FulfilmentActions.Restrict => await RestrictAsync(subjectId, command, acting, cancellationToken),
            FulfilmentActions.Objection => await ObjectAsync(subjectId, command, acting, cancellationToken),
            FulfilmentActions.WithdrawConsent => await WithdrawConsentAsync(subjectId, command, request, acting, cancellationToken),
            _ => await exportLinks.IssueAsync(request, acting, cancellationToken),
        };
        if (done.Done is not { } taken)
        {
            return done;
        }

        Log.RequestFulfilled(logger, request.Id, taken.Action, subjectId);
        if (taken.ExportLink is not null)
        {
            // The link's own write recorded the action and queued its e-mail with it, in one transaction.
            return done with { Request = await requests.GetAsync(request.Id, cancellationToken) };
        }

        var recorded = await requests.RecordActionAsync(request.Id, taken.Detail, acting, cancellationToken);
        return new FulfilmentResult(recorded.Outcome == RequestOutcome.Ok ? RequestOutcome.Ok : recorded.Outcome, recorded.Request, taken, recorded.Errors, recorded.Conflict);
    }

    private async Task<FulfilmentResult> RectifyAsync(string subjectId, FulfilmentCommand command, Actor actor, CancellationToken cancellationToken)
    {
        if (command.Fields is not { Count: > 0 } fields)
        {
            return FulfilmentResult.Invalid("fields", "Name the fields to rectify, with their new values.");
        }

        var names = string.Join(',', fields.Keys.Order(StringComparer.Ordinal));
        var result = await audit.RecordChangeAsync(
            new AuditEvent(actor, AuditActions.SubjectRectify, subjectId, Fields: names),
            () => subjects.RectifyAsync(subjectId, fields, actor, cancellationToken),
            r => (new AuditEvent(actor, AuditActions.SubjectRectify, subjectId, Fields: r.Outcome == VaultOutcome.Ok ? names : null), AuditOutcomes.From(r.Outcome)),
            cancellationToken);
        return Answer(result, new FulfilmentDone(FulfilmentActions.Rectify, $"{FulfilmentActions.Rectify} fields={names}"));
    }

    private async Task<FulfilmentResult> EraseAsync(string subjectId, Actor actor, CancellationToken cancellationToken)
    {
        var entry = new AuditEvent(actor, AuditActions.SubjectErase, subjectId);
        var result = await audit.RecordChangeAsync(
            entry,
            () => subjects.EraseAsync(subjectId, actor.OnBehalfOf ?? actor.Id, actor, cancellationToken),
            r => (entry, AuditOutcomes.From(r.Outcome)),
            cancellationToken);
        return result.Value is { } receipt
            ? new FulfilmentResult(RequestOutcome.Ok, null, new FulfilmentDone(FulfilmentActions.Erase, $"{FulfilmentActions.Erase} receipt={receipt.ReceiptId}", receipt))
            : Answer(result, null);
    }

    private async Task<FulfilmentResult> RestrictAsync(string subjectId, FulfilmentCommand command, Actor actor, CancellationToken cancellationToken)
    {
        var entry = new AuditEvent(actor, AuditActions.RestrictionRecord, subjectId);
        var result = await audit.RecordChangeAsync(
            entry,
            () => consents.RestrictAsync(subjectId, command.Reason, actor, cancellationToken),
            r => (entry, AuditOutcomes.From(r.Outcome)),
            cancellationToken);
        return Answer(result, new FulfilmentDone(FulfilmentActions.Restrict, result.Value ? FulfilmentActions.Restrict : $"{FulfilmentActions.Restrict} already-in-force"));
    }

    private async Task<FulfilmentResult> ObjectAsync(string subjectId, FulfilmentCommand command, Actor actor, CancellationToken cancellationToken)
    {
        var entry = new AuditEvent(actor, AuditActions.ObjectionRecord, subjectId, command.PurposeId);
        var result = await audit.RecordChangeAsync(
            entry,
            () => consents.ObjectAsync(subjectId, command.PurposeId, ChoiceSources.Api, command.Reason, actor, cancellationToken),
            r => (entry, AuditOutcomes.From(r.Outcome)),
            cancellationToken);
        var to = command.PurposeId is { } purpose ? $" purpose={purpose}" : " all-processing";
        return Answer(result, new FulfilmentDone(FulfilmentActions.Objection, FulfilmentActions.Objection + to + (result.Value ? string.Empty : " already-in-force")));
    }

    private async Task<FulfilmentResult> WithdrawConsentAsync(string subjectId, FulfilmentCommand command, RequestView request, Actor actor, CancellationToken cancellationToken)
    {
        if (command.PurposeId is not { Length: > 0 } purpose)
        {
            return FulfilmentResult.Invalid("purposeId", "Name the purpose whose consent is withdrawn.");
        }

        var entry = new AuditEvent(actor, AuditActions.ConsentRecord, subjectId, purpose);
        var withdrawal = new RecordConsentCommand(
            purpose, ConsentStates.ToText(ConsentState.Withdrawn), null, null, CollectionMethods.Api, request.Language, $"Data-subject request {request.Id}", actor);
        var result = await audit.RecordChangeAsync(
            entry,
            () => consents.RecordAsync(subjectId, withdrawal, cancellationToken),
            r => (entry, AuditOutcomes.From(r.Outcome)),
            cancellationToken);
        return Answer(result, new FulfilmentDone(FulfilmentActions.WithdrawConsent, $"{FulfilmentActions.WithdrawConsent} purpose={purpose} event={result.Value?.Id}"));
    }

    /// <summary>An operation's result: <paramref name="done"/> when it succeeded, else why not, as a request's change answers it.</summary>
    private static FulfilmentResult Answer<T>(VaultResult<T> result, FulfilmentDone? done) => result.Outcome switch
    {
        VaultOutcome.Ok => new FulfilmentResult(RequestOutcome.Ok, null, done),
        VaultOutcome.Invalid => new FulfilmentResult(RequestOutcome.Invalid, null, Errors: result.Errors),
        VaultOutcome.Gone => new FulfilmentResult(RequestOutcome.SubjectErased, null),
        VaultOutcome.Refused => FulfilmentResult.From(RequestResult.Conflicting(result.Refusal ?? "The subject's state does not allow this action.")),
        _ => FulfilmentResult.From(RequestResult.Conflicting("The subject the request concerns is not in this vault.")),
    };
}
