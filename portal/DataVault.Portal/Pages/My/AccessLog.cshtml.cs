using System.Diagnostics;
using DataVault.Policies;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace DataVault.Portal.Pages.My;

/// <summary>One line of the customer's access log, in plain language.</summary>
internal sealed record AccessLogLine(DateTimeOffset When, string Who, string What, string? Purpose, IReadOnlyList<string> Fields, IReadOnlyList<string> Withheld, bool Refused);

/// <summary>
/// "Who used my data": the audit entries about the signed-in customer's own subject, with the
/// organisation, the purpose, the fields and the time, filterable by purpose and organisation.
/// Reading it is itself recorded, and refused if it cannot be (every access audited, or refused).
/// </summary>
internal sealed class AccessLogModel(
    UserManager<CustomerAccount> users,
    AuditQueryService audit,
    IAuditTrail trail,
    ClientService clients,
    PolicyCatalogue catalogue) : PageModel
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
        var account = await users.GetUserAsync(User);
        if (account?.SubjectId is not { } subjectId)
        {
            return NotFound();
        }

        try
        {
            await trail.WriteAsync(
                new AuditRecord(AuditActors.Subject, subjectId, AuditActions.AccessLogRead, AuditOutcomes.Success, subjectId, TraceId: Activity.Current?.TraceId.ToString()),
                cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        var names = (await clients.ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        var purpose = Purpose is { } p && catalogue.Purposes.ContainsKey(p) ? p : null;
        var organisation = Organisation is { } o && names.ContainsKey(o) ? o : null;
        var entries = audit.Search(new AuditQuery(SubjectId: subjectId), MaxLines);
        Purposes = entries.Select(e => e.Record.PurposeId).OfType<string>().Distinct(StringComparer.Ordinal)
            .Select(id => (id, PurposeTitle(id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Organisations = entries.Where(e => e.Record.ActorType == AuditActors.Client).Select(e => e.Record.ActorId).Distinct(StringComparer.Ordinal)
            .Select(id => (id, names.GetValueOrDefault(id, id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Lines = entries
            .Where(e => purpose is null || e.Record.PurposeId == purpose)
            .Where(e => organisation is null || (e.Record.ActorType == AuditActors.Client && e.Record.ActorId == organisation))
            .Select(e => new AccessLogLine(
                e.OccurredAt,
                Who(e.Record, names),
                What(e.Record.Action),
                e.Record.PurposeId is { } id ? PurposeTitle(id) : null,
                FieldTitles(e.Record.Fields),
                Withheld(e.Record.Withheld),
                e.Record.Outcome == AuditOutcomes.Denied))
            .ToList();
        return Page();
    }

    private static string Who(AuditRecord record, Dictionary<string, string> names) => record.ActorType switch
    {
        AuditActors.Client => names.GetValueOrDefault(record.ActorId, record.ActorId),
        AuditActors.Subject => "You",
        AuditActors.Officer => "Our compliance officer",
        _ => "DataVault",
    };

    private static string What(string action) => action switch
    {
        AuditActions.SubjectCreate => "Created your record",
        AuditActions.SubjectRead => "Read your data",
        AuditActions.SubjectRectify => "Corrected your data",
        AuditActions.SubjectErase => "Erased your data",
        AuditActions.SubjectLookup => "Looked you up",
        AuditActions.SubjectExport => "Downloaded a copy of your data",
        AuditActions.ConsentRecord => "Recorded a consent decision",
        AuditActions.ConsentRead or AuditActions.ConsentHistory => "Checked your consents",
        AuditActions.ConsentReceipt => "Issued a consent receipt",
        AuditActions.ObjectionRecord => "Recorded your objection",
        AuditActions.ObjectionLift => "Lifted your objection",
        AuditActions.RestrictionRecord => "Restricted processing of your data",
        AuditActions.RestrictionLift => "Lifted the restriction",
        AuditActions.AccessLogRead => "Viewed this access log",
        AuditActions.AccountActivate => "Activated your portal account",
        AuditActions.AccountSignIn => "Signed in to the portal",
        AuditActions.AccountSignOut => "Signed out of the portal",
        _ => action,
    };

    private string PurposeTitle(string purposeId) =>
        catalogue.Purposes.TryGetValue(purposeId, out var purpose) ? purpose.Text["en"].Title : purposeId;

    private List<string> FieldTitles(string? fields) =>
        string.IsNullOrEmpty(fields)
            ? []
            : fields.Split(',').Select(f => catalogue.Fields.TryGetValue(f, out var field) ? field.Title.GetValueOrDefault("en", f) : f).ToList();

    private List<string> Withheld(string? withheld) =>
        string.IsNullOrEmpty(withheld)
            ? []
            : withheld.Split(',').Select(pair => pair.Split(':')).Where(parts => parts.Length == 2)
                .Select(parts => $"{FieldTitles(parts[0]).Single()} ({parts[1].Replace('-', ' ')})").ToList();
}
