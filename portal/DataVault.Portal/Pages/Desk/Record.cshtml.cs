using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>One processing activity of the record: a purpose of the catalogue, in the request's language.</summary>
internal sealed record ProcessingActivity(
    string Id,
    string Title,
    string Description,
    string LawfulBasis,
    IReadOnlyList<string> DataCategories,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> Recipients,
    string Retention);

/// <summary>A key group kept after an erasure request, and for how long (GDPR Art. 17(3)(b)).</summary>
internal sealed record LegalHold(IReadOnlyList<string> Fields, string Period);

/// <summary>
/// The record of processing activities (GDPR Art. 30(1)) generated from the policy catalogue: every
/// purpose with its lawful basis, categories of data, fields, recipients (the clients allowed the
/// purpose) and retention, plus the security measures the vault applies to all of them. It names the
/// integrating systems, so viewing it is recorded (<see cref="AuditActions.RecordRead"/>) before it is shown.
/// </summary>
internal sealed class RecordModel(PolicyCatalogue catalogue, ClientService clients, PortalAudit audit, IStringLocalizer<DeskText> text, PeriodText periods) : PageModel
{
    public IReadOnlyList<ProcessingActivity> Activities { get; private set; } = [];

    public IReadOnlyList<LegalHold> LegalHolds { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await audit.RecordAsync(User, AuditActions.RecordRead, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var enabled = (await clients.ListAsync(cancellationToken)).Where(c => c.IsEnabled).ToList();
        Activities = catalogue.Purposes.Values
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(purpose => new ProcessingActivity(
                purpose.Id,
                purpose.LocalText().Title,
                purpose.LocalText().Description,
                DeskWords.LawfulBasis(purpose.LawfulBasis, text),
                purpose.Fields.Select(f => catalogue.Fields[f].DataCategory).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList(),
                purpose.Fields.Select(catalogue.FieldTitle).ToList(),
                enabled.Where(c => c.AllowedPurposes.Contains(purpose.Id, StringComparer.Ordinal))
                    .Select(c => c.DisplayName).Order(StringComparer.CurrentCulture).ToList(),
                periods.InWords(purpose.Retention)))
            .ToList();
        LegalHolds = catalogue.KeyGroups.Values
            .Where(g => g.RetainAfterErasure is not null)
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => new LegalHold(
                catalogue.Fields.Values.Where(f => f.KeyGroup == g.Name).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.LocalTitle()).ToList(),
                periods.InWords(g.RetainAfterErasure!.Value)))
            .Where(h => h.Fields.Count > 0)
            .ToList();
        return Page();
    }
}
