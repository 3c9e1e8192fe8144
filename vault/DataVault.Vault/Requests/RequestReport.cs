using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Requests;

/// <summary>
/// The requests received in one month (where the controller is) and what became of them, for the controller's
/// annual accountability report (GDPR Art. 5(2)): how many were received, completed by their due date, completed
/// after it, extended (Art. 12(3)) and refused (Art. 12(4)). Each request counts in the month it was received.
/// </summary>
public sealed record RequestMonthCount(int Year, int Month, int Received, int CompletedOnTime, int CompletedLate, int Extended, int Refused);

/// <summary>Counts of requests per month of receipt; codes and dates only, no personal data.</summary>
public sealed class RequestReport
{
    private readonly VaultDbContext db;

    internal RequestReport(VaultDbContext db)
    {
        this.db = db;
    }

    /// <summary>The twelve months of <paramref name="year"/>, January first, each with its counts (zero when nothing was received).</summary>
    public async Task<IReadOnlyList<RequestMonthCount>> MonthsAsync(int year, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, 2000);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, 9999);
        var first = new DateOnly(year, 1, 1);
        var next = first.AddYears(1);
        var rows = await db.Requests.AsNoTracking()
            .Where(r => r.ReceivedDate >= first && r.ReceivedDate < next)
            .Select(r => new { r.ReceivedDate, r.Status, r.OnTime, r.ExtensionMonths })
            .ToListAsync(cancellationToken);
        return Enumerable.Range(1, 12).Select(month =>
        {
            var inMonth = rows.Where(r => r.ReceivedDate.Month == month).ToList();
            return new RequestMonthCount(
                year,
                month,
                inMonth.Count,
                inMonth.Count(r => r.Status == RequestStatuses.Completed && r.OnTime == true),
                inMonth.Count(r => r.Status == RequestStatuses.Completed && r.OnTime == false),
                inMonth.Count(r => r.ExtensionMonths > 0),
                inMonth.Count(r => r.Status == RequestStatuses.Refused));
        }).ToList();
    }
}
