using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>What an officer types to record or lift a restriction or an objection.</summary>
internal sealed class DeskChoiceInput
{
    /// <summary>Why: kept with the event and shown to the customer.</summary>
    public string? Reason { get; set; }

    /// <summary>For lifting a restriction of a customer without an e-mail address on record: they were told another way (GDPR Art. 18(3)).</summary>
    public bool ToldOtherwise { get; set; }
}

/// <summary>An objection in force: to one purpose (its id and title), or to all processing (no id).</summary>
internal sealed record DeskObjection(string? PurposeId, string Title);

/// <summary>
/// The officer's desk for one customer, opened by the subject id: the restriction (GDPR Art. 18) and objections
/// (Art. 21) in force, with the history of who recorded or lifted each and why, and the officer's own actions:
/// restrict processing, lift the restriction, lift an objection. Clients cannot lift what the customer or an
/// officer decided (<see cref="ChoiceLifts"/>); this is where an officer does, with a written reason. Lifting a
/// restriction tells the customer by e-mail first (Art. 18(3)). Every view and change goes through the same
/// <see cref="ConsentService"/> as the API and is audited as the officer's: a view as <c>consent.read</c>, a
/// change as attempted, then its outcome.
/// </summary>
internal sealed class SubjectModel(
    ConsentService consents,
    SubjectService subjects,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    IStringLocalizer<DeskText> text,
    IStringLocalizer<SharedText> shared) : PageModel
{
    /// <summary>The customer shown: from the address, or from the look-up form's <c>id</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SubjectId { get; set; }

    [BindProperty]
    public DeskChoiceInput Input { get; set; } = new();

    /// <summary>Which form an error belongs to: <c>restrict</c>, <c>lift-restriction</c> or <c>objection-{purpose}</c>.</summary>
    public string? FailedForm { get; private set; }

    /// <summary>What was just done, shown once after the redirect.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public bool Found { get; private set; }

    public bool Restricted { get; private set; }

    /// <summary>Whether an e-mail address is on record, so the customer can be told before a restriction is lifted. Its value is not read here.</summary>
    public bool HasEmail { get; private set; }

    public IReadOnlyList<DeskObjection> Objections { get; private set; } = [];

    public IReadOnlyList<ChoiceHistoryLine> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(string? id, CancellationToken cancellationToken)
    {
        if (SubjectId is null)
        {
            if (string.IsNullOrWhiteSpace(id))
            {
                return Page();
            }

            id = id.Trim();
            if (Vault.Subjects.SubjectId.IsWellFormed(id))
            {
                return Redirect($"/desk/subjects/{id}");
            }

            ModelState.AddModelError("id", text["Enter a subject id as the API and the audit trail show it, such as 0198c8a4-5f6e-7a1b-9c2d-3e4f5a6b7c8d."]);
            return Page();
        }

        return await ShowAsync(cancellationToken);
    }

    public Task<IActionResult> OnPostRestrictAsync(CancellationToken cancellationToken) =>
        ChangeAsync("restrict", AuditActions.RestrictionRecord, null, officer => consents.RestrictAsync(SubjectId!, Input.Reason, officer, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLiftRestrictionAsync(CancellationToken cancellationToken) =>
        ChangeAsync(
            "lift-restriction",
            AuditActions.RestrictionLift,
            null,
            officer => consents.LiftRestrictionAsync(SubjectId!, Input.Reason, officer, Input.ToldOtherwise, cancellationToken),
            cancellationToken);

    /// <summary>Lifts the objection to <paramref name="purpose"/>, or to all processing when it is empty.</summary>
    public Task<IActionResult> OnPostLiftObjectionAsync(string? purpose, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(purpose) && !catalogue.Purposes.ContainsKey(purpose))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        var purposeId = string.IsNullOrEmpty(purpose) ? null : purpose;
        return ChangeAsync(
            $"objection-{purposeId ?? "all"}",
            AuditActions.ObjectionLift,
            purposeId,
            officer => consents.LiftObjectionAsync(SubjectId!, purposeId, ChoiceSources.Desk, Input.Reason, officer, cancellationToken),
            cancellationToken);
    }

    /// <summary>Records the change as attempted, makes it, records its outcome; on success back to the page, otherwise the page with the error by its form.</summary>
    private async Task<IActionResult> ChangeAsync(
        string form, string action, string? purposeId, Func<Actor, Task<VaultResult<bool>>> change, CancellationToken cancellationToken)
    {
        if (SubjectId is null || !Vault.Subjects.SubjectId.IsWellFormed(SubjectId))
        {
            return NotFound();
        }

        if (!await audit.RecordAsync(User, action, AuditOutcomes.Attempted, cancellationToken, purposeId: purposeId, subjectId: SubjectId))
        {
            return PortalAudit.Unavailable();
        }

        var result = await change(Actor.Officer(User.AccountId()));
        if (!await audit.RecordAsync(User, action, SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: purposeId, subjectId: SubjectId))
        {
            return PortalAudit.Unavailable();
        }

        switch (result.Outcome)
        {
            case VaultOutcome.Ok:
                return Redirect($"/desk/subjects/{SubjectId}?done={form}");
            case VaultOutcome.Invalid:
                FailedForm = form;
                ModelState.AddModelError("Input.Reason", text["Give a reason of at most 500 characters, on one line, without control characters."]);
                break;
            case VaultOutcome.Refused:
                // The only refusal an officer meets: no address on record to tell the customer before lifting a restriction.
                FailedForm = form;
                ModelState.AddModelError("Input.ToldOtherwise", text["Tell the customer another way first, then tick the box to confirm that you did."]);
                break;
            default:
                return NotFound();
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var subjectId = SubjectId!;
        var state = await consents.GetStateAsync(subjectId, null, cancellationToken);
        var history = state.Outcome == VaultOutcome.Ok ? await consents.GetChoiceHistoryAsync(subjectId, cancellationToken) : null;
        if (!await audit.RecordAsync(User, AuditActions.ConsentRead, SelfServiceOutcomes.From(state.Outcome), cancellationToken, subjectId: Vault.Subjects.SubjectId.IsWellFormed(subjectId) ? subjectId : null))
        {
            return PortalAudit.Unavailable();
        }

        if (state.Outcome != VaultOutcome.Ok || history?.Outcome != VaultOutcome.Ok)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        Found = true;
        Restricted = state.Value!.Restricted;
        HasEmail = await subjects.HoldsFieldAsync(subjectId, "email", cancellationToken);
        Objections = (state.Value.ObjectsToAll ? [new DeskObjection(null, text["All processing"])] : Array.Empty<DeskObjection>())
            .Concat(state.Value.Purposes.Where(p => p.Objected && !state.Value.ObjectsToAll).Select(p => new DeskObjection(p.PurposeId, catalogue.PurposeTitle(p.PurposeId))))
            .ToList();
        History = history.Value!.Select(Line).ToList();
        return Page();
    }

    private ChoiceHistoryLine Line(ChoiceEventView e) => ChoiceHistoryText.Line(
        e,
        (e.Actor.Type, e.Source) switch
        {
            (Actor.SubjectType, ChoiceSources.Gpc) => text["The customer's browser (Global Privacy Control)"],
            (_, ChoiceSources.Gpc) => text["The customer's browser (Global Privacy Control), relayed by {0}", e.Actor.Id],
            (Actor.SubjectType, _) => text["The customer, in the privacy portal"],
            (Actor.OfficerType, _) => text["Officer {0}", e.Actor.Id],
            _ => text["System {0}", e.Actor.Id],
        },
        e.Reason,
        catalogue,
        shared);
}
