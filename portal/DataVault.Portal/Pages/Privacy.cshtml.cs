using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages;

/// <summary>One purpose as the privacy notice describes it.</summary>
internal sealed record NoticePurpose(string Id, string Title, string Description, string LawfulBasis, IReadOnlyList<string> Fields, IReadOnlyList<string> Recipients, string Retention);

/// <summary>
/// The privacy notice (GDPR Art. 13 and 14), open to everyone: who the controller is and how to reach it and
/// its data protection officer, every purpose with its lawful basis, data, recipients and retention, the
/// customer's rights with the portal page for each, and the supervisory authority. It shows no personal data,
/// so reading it is not an access to be audited.
/// </summary>
[AllowAnonymous]
internal sealed class PrivacyModel(
    PolicyCatalogue catalogue,
    ClientService clients,
    PeriodText periods,
    IStringLocalizer<MyConsentsText> consentText) : PageModel
{
    public IReadOnlyList<NoticePurpose> Purposes { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var registered = await clients.ListAsync(cancellationToken);
        Purposes = catalogue.Purposes.Values
            .Select(purpose =>
            {
                var text = purpose.LocalText();
                return new NoticePurpose(
                    purpose.Id,
                    text.Title,
                    text.Description,
                    PurposeText.LawfulBasis(purpose.LawfulBasis, consentText),
                    catalogue.InDisplayOrder(purpose.Fields).Select(catalogue.FieldTitle).ToList(),
                    PurposeRecipients.Of(registered, purpose.Id).Select(c => c.DisplayName).ToList(),
                    periods.InWords(purpose.Retention));
            })
            .OrderBy(p => p.Title, StringComparer.CurrentCulture)
            .ToList();
    }
}
