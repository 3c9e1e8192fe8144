using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.My;

/// <summary>One line of the customer's access log, in plain language.</summary>
internal sealed record AccessLogLine(DateTimeOffset When, string Who, string What, string? Purpose, IReadOnlyList<string> Fields, IReadOnlyList<string> Withheld, bool Refused);

/// <summary>
/// "Who used my data": the audit entries about the signed-in customer's own subject, with the
/// organisation, the purpose, the fields and the time, filterable by purpose and organisation.
/// Reading it is itself recorded, and refused if it cannot be (every access audited, or refused).
/// </summary>
internal sealed class AccessLogModel(
    AuditQueryService audit,
    PortalAudit portalAudit,
    ClientService clients,
    OfficerService staff,
    PolicyCatalogue catalogue,
    IStringLocalizer<AccessLogText> T) : PageModel
{
    private const int MaxLines = 500;

    [BindProperty(SupportsGet = true)]
    public string? Purpose { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Organisation { get; set; }

    public IReadOnlyList<AccessLogLine> Lines { get; private set; } = [];

    public IReadOnlyList<(string Id, string Title)> Purposes { get; private set; } = [];

    public IReadOnlyList<(string Id, string Name)> Organisations { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var subjectId = User.SubjectId();
        if (!await portalAudit.RecordAsync(User, AuditActions.AccessLogRead, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var names = (await clients.ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        var people = await staff.StaffNamesAsync(cancellationToken);
        var purpose = Purpose is { } p && catalogue.Purposes.ContainsKey(p) ? p : null;
        var organisation = Organisation is { } o && names.ContainsKey(o) ? o : null;
        var entries = audit.Search(new AuditQuery(SubjectId: subjectId), MaxLines);
        Purposes = entries.Select(e => e.Record.PurposeId).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(id => (id, catalogue.PurposeTitle(id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Organisations = entries.Where(e => e.Record.ActorType == AuditActors.Client).Select(e => e.Record.ActorId).Distinct(StringComparer.Ordinal)
            .Select(id => (id, names.GetValueOrDefault(id, id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Lines = entries
            .Where(e => purpose is null || e.Record.PurposeId == purpose)
            .Where(e => organisation is null || (e.Record.ActorType == AuditActors.Client && e.Record.ActorId == organisation))
            .Select(e => new AccessLogLine(
                e.OccurredAt,
                AuditActorText.Who(e.Record, names, people, T),
                What(e.Record.Action),
                e.Record.PurposeId is { } id ? catalogue.PurposeTitle(id) : null,
                FieldTitles(e.Record.Fields),
                Withheld(e.Record.Withheld),
                e.Record.Outcome == AuditOutcomes.Denied))
            .ToList();
        return Page();
    }

    private string What(string action) => action switch
    {
        AuditActions.SubjectCreate => T["Created your record"],
        AuditActions.SubjectRead => T["Read your data"],
        AuditActions.SubjectRectify => T["Corrected your data"],
        AuditActions.SubjectErase => T["Erased your data"],
        AuditActions.SubjectLookup => T["Looked you up"],
        AuditActions.SubjectExport => T["Downloaded a copy of your data"],
        AuditActions.ConsentRecord => T["Recorded a consent decision"],
        AuditActions.ConsentRead or AuditActions.ConsentHistory => T["Checked your consents"],
        AuditActions.ConsentReceipt => T["Issued a consent receipt"],
        AuditActions.ObjectionRecord => T["Recorded your objection"],
        AuditActions.ObjectionLift => T["Lifted your objection"],
        AuditActions.RestrictionRecord => T["Restricted processing of your data"],
        AuditActions.RestrictionLift => T["Lifted the restriction"],
        AuditActions.AccessLogRead => T["Viewed this access log"],
        AuditActions.AccountActivate => T["Activated your portal account"],
        AuditActions.AccountSignIn => T["Signed in to the portal"],
        AuditActions.AccountSignOut => T["Signed out of the portal"],
        _ => action,
    };

    private string Reason(string reason) => reason switch
    {
        "no-consent" => T["no consent"],
        "expired" => T["consent expired"],
        "not-in-purpose" => T["not needed for this purpose"],
        "restricted" => T["processing restricted"],
        "objected" => T["you objected"],
        "erased" => T["erased"],
        _ => reason,
    };

    private List<string> FieldTitles(string? fields) =>
        string.IsNullOrEmpty(fields)
            ? []
            : fields.Split(',').Where(f => !f.StartsWith("gpc:", StringComparison.Ordinal)).Select(catalogue.FieldTitle).ToList();

    private List<string> Withheld(string? withheld) =>
        string.IsNullOrEmpty(withheld)
            ? []
            : withheld.Split(',').Select(pair => pair.Split(':')).Where(parts => parts.Length == 2)
                .Select(parts => $"{catalogue.FieldTitle(parts[0])} ({Reason(parts[1])})").ToList();
}
