using System.Text;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Audit;
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
    bool Objected);

/// <summary>One consent event of the customer's history.</summary>
internal sealed record ConsentLine(string Id, DateTimeOffset When, string Purpose, string State, string Method);

/// <summary>
/// "My consents": each purpose with its title, description, lawful basis, fields and retention, and the
/// customer's current state; giving or withdrawing is one button each (GDPR Art. 7(3): withdrawing as
/// easy as giving), recorded through <see cref="ConsentService.RecordAsync"/> like the API; the history
/// of consent events with a download of each signed receipt.
/// </summary>
internal sealed class ConsentsModel(
    ConsentService consents,
    IConsentReceiptSigner receipts,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    IStringLocalizer<MyConsentsText> T,
    PeriodText periods) : PageModel
{
    /// <summary>Where the consent came from, kept with the event as its evidence.</summary>
    private const string Evidence = "privacy portal: my consents page";

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
                    purpose.Fields.Select(catalogue.FieldTitle).ToList(),
                    periods.InWords(purpose.Retention),
                    p.State,
                    PurposeText.State(p.State, T),
                    p.LatestEvent?.OccurredAt,
                    p.Objected);
            })
            .OrderBy(c => c.Purpose.LawfulBasis != LawfulBasis.Consent)
            .ThenBy(c => c.Title, StringComparer.CurrentCulture)
            .ToList();
        History = history.Value!
            .OrderByDescending(e => e.OccurredAt).ThenByDescending(e => e.Id, StringComparer.Ordinal)
            .Select(e => new ConsentLine(e.Id, e.OccurredAt, catalogue.PurposeTitle(e.PurposeId), PurposeText.EventState(e.State, T), PurposeText.Method(e.CollectionMethod, T)))
            .ToList();
        return Page();
    }

    /// <summary>Gives consent to a purpose: one click, no confirmation, as withdrawing.</summary>
    public Task<IActionResult> OnPostGiveAsync(string? purpose, CancellationToken cancellationToken) =>
        RecordAsync(purpose, ConsentStates.ToText(ConsentState.Given), cancellationToken);

    /// <summary>GDPR Art. 7(3): withdrawing is as easy as giving, and effective for the very next read.</summary>
    public Task<IActionResult> OnPostWithdrawAsync(string? purpose, CancellationToken cancellationToken) =>
        RecordAsync(purpose, ConsentStates.ToText(ConsentState.Withdrawn), cancellationToken);

    /// <summary>A freshly signed receipt of one of the customer's own consent events, as a file.</summary>
    public async Task<IActionResult> OnGetReceiptAsync(string? id, CancellationToken cancellationToken)
    {
        // No id is no event of theirs: the vault answers not found, as for an id that is not theirs.
        var result = await consents.GetEventAsync(User.SubjectId(), id ?? string.Empty, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.ConsentReceipt, SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: result.Value?.PurposeId))
        {
            return PortalAudit.Unavailable();
        }

        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var receipt = await receipts.SignAsync(result.Value!, cancellationToken);
        return File(Encoding.ASCII.GetBytes(receipt), "application/jose", $"consent-receipt-{result.Value!.Id}.jws");
    }

    private async Task<IActionResult> RecordAsync(string? purposeId, string state, CancellationToken cancellationToken)
    {
        if (purposeId is null || !catalogue.Purposes.TryGetValue(purposeId, out var purpose) || purpose.LawfulBasis != LawfulBasis.Consent)
        {
            return BadRequest();
        }

        if (await GlobalPrivacyControl.ApplyAsync(HttpContext, consents, catalogue, cancellationToken) is null
            || !await audit.RecordAsync(User, AuditActions.ConsentRecord, AuditOutcomes.Attempted, cancellationToken, purposeId: purpose.Id))
        {
            return PortalAudit.Unavailable();
        }

        var subjectId = User.SubjectId();
        var result = await consents.RecordAsync(
            subjectId,
            new RecordConsentCommand(purpose.Id, state, null, null, CollectionMethods.Portal, PortalCultures.Current, Evidence, Actor.Subject(subjectId)),
            cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.ConsentRecord, SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: purpose.Id))
        {
            return PortalAudit.Unavailable();
        }

        return result.Outcome switch
        {
            VaultOutcome.Ok => Redirect($"/my/consents#purpose-{purpose.Id}"),
            VaultOutcome.Invalid => BadRequest(),
            _ => NotFound(),
        };
    }
}
