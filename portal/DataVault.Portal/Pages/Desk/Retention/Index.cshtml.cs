using System.Globalization;
using DataVault.Policies.Retention;
using DataVault.Vault.Retention;

namespace DataVault.Portal.Pages.Desk.Retention;

/// <summary>One field (or its corrected earlier versions) the sweep would destroy, in the officer's words; never a value.</summary>
internal sealed record PreviewRow(string SubjectId, string Field, string Versions, string Why);

/// <summary>
/// The retention preview (GDPR Art. 5(1)(e)): what the retention sweep would destroy on a chosen day (today by default),
/// customer by customer and field by field, and which rule decides it, as the records stand now. It is the vault's own
/// preview (<see cref="RetentionEngine.PreviewAsync"/>), audited as the API's preview is
/// (<see cref="AuditActions.RetentionPreview"/>): names, versions and purposes, never a value.
/// </summary>
internal sealed class IndexModel(RetentionEngine retention, PolicyCatalogue catalogue, PortalAudit audit, TimeProvider time, IStringLocalizer<DeskText> T) : PageModel
{
    /// <summary>The day previewed; today when not given or not a date.</summary>
    [BindProperty(SupportsGet = true, Name = "on")]
    public string? On { get; set; }

    public DateOnly Day { get; private set; }

    public IReadOnlyList<PreviewRow> Rows { get; private set; } = [];

    /// <summary>The customers who would be left with no data (a tombstone).</summary>
    public IReadOnlySet<string> Tombstones { get; private set; } = new HashSet<string>();

    public string DayText => Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        Day = DateOnly.TryParseExact(On, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : today;
        if (!await audit.RecordAsync(User, AuditActions.RetentionPreview, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        // The sweep may run at any time of the day: what would be due by its end.
        var at = Day == today ? time.GetUtcNow() : new DateTimeOffset(Day.ToDateTime(TimeOnly.MaxValue), TimeSpan.Zero);
        var plans = await retention.PreviewAsync(at, cancellationToken);
        Tombstones = plans.Where(p => p.LeavesNoData).Select(p => p.SubjectId).ToHashSet(StringComparer.Ordinal);
        Rows = plans
            .SelectMany(plan => plan.Destructions.Select(d => new PreviewRow(
                plan.SubjectId,
                catalogue.Fields.ContainsKey(d.Field) ? catalogue.FieldTitle(d.Field) : d.Field,
                d.FromVersion == d.ThroughVersion
                    ? d.FromVersion.ToString(CultureInfo.CurrentCulture)
                    : $"{d.FromVersion.ToString(CultureInfo.CurrentCulture)}–{d.ThroughVersion.ToString(CultureInfo.CurrentCulture)}",
                Why(d))))
            .ToList();
        return Page();
    }

    private string Why(RetentionDestruction destruction) => destruction switch
    {
        { Superseded: true } => T["Corrected earlier versions: the time kept for disputes has passed."],
        { PurposeId: { } purpose } when destruction.Because == RetentionReasons.RetentionEnded =>
            T["The retention for {0} has ended.", catalogue.Purposes.ContainsKey(purpose) ? catalogue.PurposeTitle(purpose) : purpose],
        _ => destruction.Because,
    };
}
