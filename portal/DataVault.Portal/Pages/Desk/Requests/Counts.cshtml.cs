using System.Globalization;
using System.Text;
using DataVault.Vault.Requests;

namespace DataVault.Portal.Pages.Desk.Requests;

/// <summary>
/// The requests of one year per month of receipt, for the controller's annual accountability report (GDPR Art. 5(2)):
/// received, completed on time, completed late, extended, refused; on the page and as CSV. Counts only, no one named;
/// each view or download is audited as the officer's <c>request.list</c>.
/// </summary>
internal sealed class CountsModel(RequestReport report, PortalAudit audit, TimeProvider time) : PageModel
{
    /// <summary>The year shown; default this year.</summary>
    [BindProperty(SupportsGet = true, Name = "year")]
    public int? Year { get; set; }

    public int Shown { get; private set; }

    public IReadOnlyList<RequestMonthCount> Months { get; private set; } = [];

    /// <summary>This year and the four before it, the years a report usually covers.</summary>
    public IReadOnlyList<int> Years { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();

    public async Task<IActionResult> OnGetCsvAsync(CancellationToken cancellationToken)
    {
        if (!await LoadAsync(cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var csv = new StringBuilder("year,month,received,completed_on_time,completed_late,extended,refused\r\n");
        foreach (var m in Months)
        {
            csv.Append(CultureInfo.InvariantCulture, $"{m.Year},{m.Month:00},{m.Received},{m.CompletedOnTime},{m.CompletedLate},{m.Extended},{m.Refused}\r\n");
        }

        return File(Encoding.UTF8.GetBytes(csv.ToString()), "text/csv; charset=utf-8", $"requests-{Shown}.csv");
    }

    private async Task<bool> LoadAsync(CancellationToken cancellationToken)
    {
        var thisYear = time.GetUtcNow().Year;
        Years = Enumerable.Range(0, 5).Select(back => thisYear - back).ToList();
        Shown = Year is { } year && Years.Contains(year) ? year : thisYear;
        Months = await report.MonthsAsync(Shown, cancellationToken);
        return await audit.RecordAsync(User, AuditActions.RequestList, AuditOutcomes.Success, cancellationToken);
    }
}
