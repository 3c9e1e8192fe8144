using DataVault.Policies;
using DataVault.Policies.Decisions;
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

/// <summary>One purpose of the catalogue as the customer's consent page shows it.</summary>
internal sealed record PurposeCard(
    PurposeDefinition Purpose,
    string Title,
    string Description,
    string LawfulBasis,
    IReadOnlyList<string> Fields,
    string Retention,
    EffectiveConsent State,
    string StateText,
    DateTimeOffset? Since,
    bool Objected,
    IReadOnlyList<string> Recipients);

/// <summary>One consent event of the customer's history.</summary>
internal sealed record ConsentLine(string Id, DateTimeOffset When, string Purpose, string State, string Method);

/// <summary>The decision just recorded, confirmed on the purpose's card after the redirect.</summary>
internal sealed record ConsentConfirmation(string PurposeId, string Text, string? EventId);

/// <summary>
/// "My consents": each purpose with its title, description, lawful basis, fields, recipients (by name, from
/// the client registry) and retention, and the customer's current state; giving or withdrawing is one button
/// each (GDPR Art. 7(3): withdrawing as easy as giving), recorded through <see cref="ConsentService.RecordAsync"/>
/// like the API and confirmed on the purpose's card with a link to its receipt; the history of consent
/// events, each with its receipt (<see cref="ConsentReceiptModel"/>). Times are in the controller's time zone.
/// </summary>
internal sealed class ConsentsModel(
    ConsentService consents,
    ClientService clients,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    ControllerProfile controller,
    IStringLocalizer<MyConsentsText> T,
    PeriodText periods) : PageModel
{
    /// <summary>Where the consent came from, kept with the event as its evidence.</summary>
    private const string Evidence = "privacy portal: my consents page";

    /// <summary>The decision just recorded (<c>given</c> or <c>withdrawn</c>), for the confirmation after the redirect.</summary>
    [BindProperty(SupportsGet = true, Name = "decision")]
    public string? Decision { get; set; }

    /// <summary>The purpose of the decision just recorded.</summary>
    [BindProperty(SupportsGet = true, Name = "purpose")]
    public string? DecidedPurpose { get; set; }

    /// <summary>The event just recorded, whose receipt the confirmation links.</summary>
    [BindProperty(SupportsGet = true, Name = "event")]
    public string? DecidedEvent { get; set; }

    public ConsentConfirmation? Confirmation { get; private set; }

    public string ZoneName => controller.TimeZoneName;

    public IReadOnlyList<PurposeCard> Purposes { get; private set; } = [];

    public IReadOnlyList<ConsentLine> History { get; private set; } = [];

    public bool Restricted { get; private set; }

    public bool ObjectsToAll { get; private set; }

    public GpcNotice Gpc { get; private set; } = new(false, [], []);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await GlobalPrivacyControl.ApplyAsync(HttpContext, consents, catalogue, cancellationToken) is not { } gpc)
        {
            return PortalAudit.Unavailable();
        }

        Gpc = gpc;
        var subjectId = User.SubjectId();
        var state = await consents.GetStateAsync(subjectId, null, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.ConsentRead, SelfServiceOutcomes.From(state.Outcome), cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var history = await consents.GetHistoryAsync(subjectId, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.ConsentHistory, SelfServiceOutcomes.From(history.Outcome), cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        if (state.Outcome != VaultOutcome.Ok || history.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var registered = await clients.ListAsync(cancellationToken);
        Restricted = state.Value!.Restricted;
        ObjectsToAll = state.Value.ObjectsToAll;
        Purposes = state.Value.Purposes
            .Where(p => catalogue.Purposes.ContainsKey(p.PurposeId))
            .Select(p =>
            {
                var purpose = catalogue.Purposes[p.PurposeId];
                var text = purpose.LocalText();
                return new PurposeCard(
                    purpose,
                    text.Title,
                    text.Description,
                    PurposeText.LawfulBasis(purpose.LawfulBasis, T),
                    catalogue.InDisplayOrder(purpose.Fields).Select(catalogue.FieldTitle).ToList(),
                    periods.InWords(purpose.Retention),
                    p.State,
                    PurposeText.State(p.State, T),
                    p.LatestEvent?.OccurredAt,
                    p.Objected,
                    PurposeRecipients.Of(registered, purpose.Id).Select(c => c.DisplayName).ToList());
            })
            .OrderBy(c => c.Purpose.LawfulBasis != LawfulBasis.Consent)
            .ThenBy(c => c.Title, StringComparer.CurrentCulture)
            .ToList();
        History = history.Value!
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Select(e => new ConsentLine(e.Id, e.OccurredAt, catalogue.PurposeTitle(e.PurposeId), PurposeText.EventState(e.State, T), PurposeText.Method(e.CollectionMethod, T)))
            .ToList();
        Confirmation = Confirm();
        return Page();
    }

    /// <summary>A time as the page shows it: in the controller's time zone.</summary>
    public string When(DateTimeOffset instant) => controller.DateTime(instant);

    /// <summary>A date as the page shows it: in the controller's time zone, in the reader's language.</summary>
    public string Date(DateTimeOffset instant) => controller.Date(instant);

    /// <summary>Gives consent to a purpose: one click, no confirmation, as withdrawing.</summary>
    public Task<IActionResult> OnPostGiveAsync(string? purpose, CancellationToken cancellationToken) =>
        RecordAsync(purpose, ConsentStates.ToText(ConsentState.Given), cancellationToken);

    /// <summary>GDPR Art. 7(3): withdrawing is as easy as giving, and effective for the very next read.</summary>
    public Task<IActionResult> OnPostWithdrawAsync(string? purpose, CancellationToken cancellationToken) =>
        RecordAsync(purpose, ConsentStates.ToText(ConsentState.Withdrawn), cancellationToken);

    private async Task<IActionResult> RecordAsync(string? purposeId, string state, CancellationToken cancellationToken)
    {
        if (purposeId is null || !catalogue.Purposes.TryGetValue(purposeId, out var purpose) || purpose.LawfulBasis != LawfulBasis.Consent)
        {
            return BadRequest();
        }

        if (await GlobalPrivacyControl.ApplyAsync(HttpContext, consents, catalogue, cancellationToken) is null)
        {
            return PortalAudit.Unavailable();
        }

        var subjectId = User.SubjectId();
        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.ConsentRecord,
            () => consents.RecordAsync(
                subjectId,
                new RecordConsentCommand(purpose.Id, state, null, null, CollectionMethods.Portal, PortalCultures.Current, Evidence, Actor.Subject(subjectId)),
                cancellationToken),
            recorded => SelfServiceOutcomes.From(recorded.Outcome),
            cancellationToken,
            purposeId: purpose.Id);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        var result = change.Result;
        return result.Outcome switch
        {
            VaultOutcome.Ok => Redirect($"/my/consents?decision={state}&purpose={purpose.Id}&event={Uri.EscapeDataString(result.Value!.Id)}#purpose-{purpose.Id}"),
            VaultOutcome.Invalid => BadRequest(),
            _ => NotFound(),
        };
    }

    /// <summary>
    /// The confirmation of the decision named in the address, when it is the purpose's state now: a stale or
    /// made-up address confirms nothing.
    /// </summary>
    private ConsentConfirmation? Confirm()
    {
        if (DecidedPurpose is null || Purposes.FirstOrDefault(p => p.Purpose.Id == DecidedPurpose) is not { } card)
        {
            return null;
        }

        var eventId = DecidedEvent is { } id && History.Any(e => e.Id == id) ? id : null;
        return Decision switch
        {
            "given" when card.State == EffectiveConsent.Given =>
                new(card.Purpose.Id, T["You have given your consent to “{0}”. It counts from now until you withdraw it.", card.Title], eventId),
            "withdrawn" when card.State == EffectiveConsent.Withdrawn =>
                new(card.Purpose.Id, T["You have withdrawn your consent to “{0}”. From now on, none of our systems receives your data for it.", card.Title], eventId),
            _ => null,
        };
    }
}
