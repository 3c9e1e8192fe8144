using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// A consent-based purpose on the overview: its counts now, the objections through Global Privacy Control in force
/// (null when a browser's signal does not concern the purpose), and its trend chart (given, then withdrawn).
/// </summary>
internal sealed record PurposeOverview(string Id, string Title, PurposeConsentCounts Counts, int? GpcObjections, TrendChart Trend);

/// <summary>
/// The consent overview: for each consent-based purpose, how many subjects' consent is now given,
/// withdrawn, refused, expired or given to an earlier version, how many objected through a browser's
/// Global Privacy Control signal, and the given and withdrawn consents over the last days as a
/// server-rendered chart with the same figures in a table. Aggregates only: no subject is named and
/// nothing is decrypted. Viewing it is audited (<see cref="AuditActions.ConsentOverview"/>).
/// </summary>
internal sealed class ConsentsModel(ConsentStatistics statistics, PolicyCatalogue catalogue, PortalAudit audit) : PageModel
{
    /// <summary>The trend lengths offered.</summary>
    public static readonly IReadOnlyList<int> DayChoices = [7, 30, 90];

    [BindProperty(SupportsGet = true)]
    public int? Days { get; set; }

    public int ShownDays { get; private set; }

    public ConsentOverview? Overview { get; private set; }

    public IReadOnlyList<PurposeOverview> Purposes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // An unknown choice falls back to the default rather than failing: it is only a view setting.
        ShownDays = Days is { } days && DayChoices.Contains(days) ? days : 30;
        if (!await audit.RecordAsync(User, AuditActions.ConsentOverview, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        Overview = await statistics.GetOverviewAsync(ShownDays, cancellationToken);
        var at = Overview.Trend.Select(t => t.At).ToList();
        Purposes = Overview.Purposes
            .Select(counts => new PurposeOverview(
                counts.PurposeId,
                catalogue.PurposeTitle(counts.PurposeId),
                counts,
                Overview.GpcObjections.TryGetValue(counts.PurposeId, out var gpc) ? gpc : null,
                new TrendChart(
                    at,
                    Overview.Trend.Select(t => t.Given[counts.PurposeId]).ToList(),
                    Overview.Trend.Select(t => t.Withdrawn[counts.PurposeId]).ToList())))
            .ToList();
        return Page();
    }
}
