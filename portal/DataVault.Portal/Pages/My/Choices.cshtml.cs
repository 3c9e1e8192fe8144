using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.My;

/// <summary>A purpose the customer may object to; <paramref name="KeptBySignal"/> when the browser's Global Privacy Control signal re-applies the objection on every request, so lifting it here could not last.</summary>
internal sealed record ObjectionChoice(string PurposeId, string Title, string Description, bool Objected, bool KeptBySignal);

/// <summary>
/// "Restrict or object": restriction of processing (GDPR Art. 18) and objections (Art. 21) to a purpose
/// based on legitimate interests or a public task, or to all processing, each recorded and lifted through
/// the <see cref="ConsentService"/> the API uses; the Global Privacy Control signal honoured and shown.
/// </summary>
internal sealed class ChoicesModel(
    ConsentService consents,
    ClientService clients,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    ControllerProfile controller,
    IStringLocalizer<MyChoicesText> text,
    IStringLocalizer<SharedText> shared) : PageModel
{
    /// <summary>The time zone the history's times are shown in.</summary>
    public string ZoneName => controller.TimeZoneName;

    /// <summary>A time as the page shows it: in the controller's time zone.</summary>
    public string When(DateTimeOffset instant) => controller.DateTime(instant);

    /// <summary>Kept with the restriction or objection event: where it was asked for (the customer types nothing personal).</summary>
    private const string Reason = "requested by the data subject in the privacy portal";

    public bool Restricted { get; private set; }

    public bool ObjectsToAll { get; private set; }

    public IReadOnlyList<ObjectionChoice> Objections { get; private set; } = [];

    public GpcNotice Gpc { get; private set; } = new(false, [], []);

    /// <summary>Every restriction and objection recorded or lifted, oldest first, with who and why (GDPR Art. 18(3): a lift is never silent).</summary>
    public IReadOnlyList<ChoiceHistoryLine> History { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await GlobalPrivacyControl.ApplyAsync(HttpContext, consents, catalogue, cancellationToken) is not { } gpc)
        {
            return PortalAudit.Unavailable();
        }

        Gpc = gpc;
        var state = await consents.GetStateAsync(User.SubjectId(), null, cancellationToken);
        var history = state.Outcome == VaultOutcome.Ok ? await consents.GetChoiceHistoryAsync(User.SubjectId(), cancellationToken) : null;
        if (!await audit.RecordAsync(User, AuditActions.ConsentRead, SelfServiceOutcomes.From(state.Outcome), cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        if (state.Outcome != VaultOutcome.Ok || history?.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var organisations = (await clients.ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        History = history.Value!.Select(e => Line(e, organisations)).ToList();

        Restricted = state.Value!.Restricted;
        ObjectsToAll = state.Value.ObjectsToAll;
        var objected = state.Value.Purposes.Where(p => p.Objected).Select(p => p.PurposeId).ToHashSet(StringComparer.Ordinal);

        // Objected purposes are listed whatever their basis (Global Privacy Control objects to consent-based sharing too).
        Objections = catalogue.Purposes.Values
            .Where(p => MayObject(p) || (!ObjectsToAll && objected.Contains(p.Id)))
            .Select(p => new ObjectionChoice(p.Id, p.LocalText().Title, p.LocalText().Description, !ObjectsToAll && objected.Contains(p.Id), Gpc.Sent && Gpc.Purposes.Contains(p.Id)))
            .OrderBy(c => c.Title, StringComparer.CurrentCulture)
            .ToList();
        return Page();
    }

    public Task<IActionResult> OnPostRestrictAsync(CancellationToken cancellationToken) =>
        ChangeAsync(AuditActions.RestrictionRecord, null, (subject, actor) => consents.RestrictAsync(subject, Reason, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLiftRestrictionAsync(CancellationToken cancellationToken) =>
        ChangeAsync(AuditActions.RestrictionLift, null, (subject, actor) => consents.LiftRestrictionAsync(subject, Reason, actor, toldOtherwise: false, cancellationToken), cancellationToken);

    /// <summary>GDPR Art. 21(1)–(2): an objection to a purpose based on legitimate interests or a public task, or to direct marketing; no purpose means all processing.</summary>
    public Task<IActionResult> OnPostObjectAsync(string? purpose, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(purpose) && !(catalogue.Purposes.TryGetValue(purpose, out var definition) && MayObject(definition)))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        var purposeId = string.IsNullOrEmpty(purpose) ? null : purpose;
        return ChangeAsync(AuditActions.ObjectionRecord, purposeId, (subject, actor) => consents.ObjectAsync(subject, purposeId, ChoiceSources.Portal, Reason, actor, cancellationToken), cancellationToken);
    }

    public Task<IActionResult> OnPostLiftObjectionAsync(string? purpose, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(purpose) && !catalogue.Purposes.ContainsKey(purpose))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        var purposeId = string.IsNullOrEmpty(purpose) ? null : purpose;
        return ChangeAsync(AuditActions.ObjectionLift, purposeId, (subject, actor) => consents.LiftObjectionAsync(subject, purposeId, ChoiceSources.Portal, Reason, actor, cancellationToken), cancellationToken);
    }

    /// <summary>Art. 21(1) covers processing on legitimate interests or a public task; Art. 21(2) direct marketing on any basis.</summary>
    private static bool MayObject(PurposeDefinition purpose) =>
        purpose.LawfulBasis is LawfulBasis.LegitimateInterests or LawfulBasis.PublicTask || purpose.DirectMarketing;

    private ChoiceHistoryLine Line(ChoiceEventView e, IReadOnlyDictionary<string, string> organisations) => ChoiceHistoryText.Line(
        e,
        (e.Actor.Type, e.Source) switch
        {
            (_, ChoiceSources.Gpc) => text["Your browser's Global Privacy Control signal"],
            (Actor.SubjectType, _) => text["You, in this portal"],
            (Actor.OfficerType, _) => text["Our compliance officer"],
            _ => organisations.GetValueOrDefault(e.Actor.Id, e.Actor.Id),
        },

        // What the subject typed themself is where they typed it; others' reasons are shown as written (Art. 18(3)).
        e.Actor.Type == Actor.SubjectType ? null : e.Reason,
        catalogue,
        shared);

    /// <summary>Records the change as attempted, makes it, then records its outcome; nothing changes if the first entry fails.</summary>
    private async Task<IActionResult> ChangeAsync(string action, string? purposeId, Func<string, Actor, Task<VaultResult<bool>>> change, CancellationToken cancellationToken)
    {
        if (await GlobalPrivacyControl.ApplyAsync(HttpContext, consents, catalogue, cancellationToken) is null)
        {
            return PortalAudit.Unavailable();
        }

        var subjectId = User.SubjectId();
        var made = await audit.RecordChangeAsync(
            User, action, () => change(subjectId, Actor.Subject(subjectId)), result => SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: purposeId);
        if (!made.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        return made.Result.Outcome switch
        {
            VaultOutcome.Ok => Redirect("/my/choices"),
            VaultOutcome.Invalid => BadRequest(),
            _ => NotFound(),
        };
    }
}
