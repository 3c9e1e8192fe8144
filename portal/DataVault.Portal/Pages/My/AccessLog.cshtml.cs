using System.Globalization;
using DataVault.Policies.Decisions;
using DataVault.Portal.SelfService;
using DataVault.Vault.Clients;

namespace DataVault.Portal.Pages.My;

/// <summary>How an action ended, as a word and the state it is shown in (<c>ok</c>, <c>bad</c>, <c>warn</c>).</summary>
internal sealed record AccessLogOutcome(string Text, string State);

/// <summary>One action on the customer's data, in plain language, with its real outcome.</summary>
internal sealed record AccessLogLine(DateTimeOffset When, string Who, string What, AccessLogOutcome Outcome, string? Purpose, IReadOnlyList<string> Fields, IReadOnlyList<string> Withheld);

/// <summary>
/// "Who used my data": the audit entries about the signed-in customer's own subject. By default only what
/// others did (organisations, our staff, our systems); "my own activity" adds the customer's own. One line
/// per action with its real outcome (<see cref="SubjectAccessLog"/> folds an attempt into its outcome), the
/// filters and the paging done by the audit query, so every entry can be reached. Reading it is itself
/// recorded, and refused if it cannot be (every access audited, or refused).
/// </summary>
internal sealed class AccessLogModel(
    SubjectAccessLog log,
    PortalAudit portalAudit,
    ClientService clients,
    OfficerService staff,
    PolicyCatalogue catalogue,
    ControllerProfile controller,
    IStringLocalizer<AccessLogText> T) : PageModel
{
    /// <summary>Lines per page: a phone screen or two of cards.</summary>
    public const int PageSize = 20;

    [BindProperty(SupportsGet = true, Name = "purpose")]
    public string? Purpose { get; set; }

    [BindProperty(SupportsGet = true, Name = "organisation")]
    public string? Organisation { get; set; }

    /// <summary>Whether the customer's own activity is listed too.</summary>
    [BindProperty(SupportsGet = true, Name = "mine")]
    public bool Mine { get; set; }

    /// <summary>The page asked for, from 1; out of range is the nearest page. (Not "page": Razor Pages keeps that route value for itself.)</summary>
    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<AccessLogLine> Lines { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public int First => Total == 0 ? 0 : ((PageNumber - 1) * PageSize) + 1;

    public int Last => First + Lines.Count - 1;

    public IReadOnlyList<(string Id, string Title)> Purposes { get; private set; } = [];

    public IReadOnlyList<(string Id, string Name)> Organisations { get; private set; } = [];

    public string ZoneName => controller.TimeZoneName;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var subjectId = User.SubjectId();
        if (!await portalAudit.RecordAsync(User, AuditActions.AccessLogRead, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var names = (await clients.ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        var people = await staff.StaffNamesAsync(cancellationToken);
        var choices = log.Choices(subjectId);
        Purposes = choices.Purposes.Select(id => (id, catalogue.PurposeTitle(id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Organisations = choices.Clients.Select(id => (id, names.GetValueOrDefault(id, id))).OrderBy(x => x.Item2, StringComparer.CurrentCulture).ToList();
        Purpose = Purpose is { } p && catalogue.Purposes.ContainsKey(p) ? p : null;
        Organisation = Organisation is { } o && names.ContainsKey(o) ? o : null;

        var query = new SubjectLogQuery(subjectId, Mine, Purpose, Organisation);
        var page = log.Read(query, 0, PageSize);
        PageNumber = Math.Clamp(PageNumber, 1, Math.Max(1, (page.Total + PageSize - 1) / PageSize));
        if (PageNumber > 1)
        {
            page = log.Read(query, (PageNumber - 1) * PageSize, PageSize);
        }

        Total = page.Total;
        Lines = page.Entries
            .Select(e => new AccessLogLine(
                e.OccurredAt,
                AuditActorText.Who(e.Record, names, people, T),
                What(e.Record.Action),
                Outcome(e.Record.Outcome),
                e.Record.PurposeId is { } id ? catalogue.PurposeTitle(id) : null,
                FieldTitles(e.Record.Fields),
                Withheld(e.Record.Withheld)))
            .ToList();
        return Page();
    }

    /// <summary>A time as the log shows it: in the controller's time zone.</summary>
    public string When(DateTimeOffset instant) => controller.DateTime(instant);

    /// <summary>The address of another page of the same list (same filters).</summary>
    public string PageLink(int number)
    {
        var query = new List<string>();
        if (Purpose is not null)
        {
            query.Add("purpose=" + Uri.EscapeDataString(Purpose));
        }

        if (Organisation is not null)
        {
            query.Add("organisation=" + Uri.EscapeDataString(Organisation));
        }

        if (Mine)
        {
            query.Add("mine=true");
        }

        query.Add("p=" + number.ToString(CultureInfo.InvariantCulture));
        return "/my/access-log?" + string.Join("&", query);
    }

    private string What(string action) => action switch
    {
        AuditActions.SubjectCreate => T["Creation of your record"],
        AuditActions.SubjectRead => T["Reading your data"],
        AuditActions.SubjectRectify => T["Correction of your data"],
        AuditActions.SubjectErase => T["Erasure of your data"],
        AuditActions.SubjectLookup => T["Search for you by e-mail address or phone number"],
        AuditActions.SubjectExport => T["Copy of your data"],
        AuditActions.ConsentRecord => T["Consent decision"],
        AuditActions.ConsentRead or AuditActions.ConsentHistory => T["Check of your consents"],
        AuditActions.ConsentReceipt => T["Consent receipt"],
        AuditActions.ObjectionRecord => T["Objection"],
        AuditActions.ObjectionLift => T["Lifting of an objection"],
        AuditActions.RestrictionRecord => T["Restriction of processing"],
        AuditActions.RestrictionLift => T["Lifting of the restriction"],
        AuditActions.AccessLogRead => T["Viewing this access log"],
        AuditActions.SubjectRecipients => T["Check of who received your data"],
        AuditActions.AccountActivate => T["Activation of your portal account"],
        AuditActions.AccountSignIn => T["Sign-in to the portal"],
        AuditActions.AccountSignOut => T["Sign-out from the portal"],
        AuditActions.InvitationCreate => T["Invitation to this portal"],
        AuditActions.MailSend => T["E-mail to you"],
        AuditActions.RequestCreate or AuditActions.RequestRead or AuditActions.RequestList or AuditActions.RequestTransition or AuditActions.RequestAssign or AuditActions.RequestNote
            or AuditActions.RequestExtend or AuditActions.RequestRefuse or AuditActions.RequestComplete or AuditActions.RequestIdentityChallenge
            or AuditActions.RequestIdentityVerify => T["Your request about your data"],
        _ => action,
    };

    private AccessLogOutcome Outcome(string outcome) => outcome switch
    {
        AuditOutcomes.Success => new(T["Done"], "ok"),
        AuditOutcomes.Denied => new(T["Refused"], "bad"),
        AuditOutcomes.Invalid => new(T["Refused: not valid"], "bad"),
        AuditOutcomes.NotFound => new(T["Not found"], "warn"),
        AuditOutcomes.Gone => new(T["Not possible: the data was erased"], "warn"),
        AuditOutcomes.TimedOut => new(T["Not completed"], "warn"),
        AuditOutcomes.Attempted => new(T["Begun; no outcome recorded"], "warn"),
        _ => new(T["Failed"], "warn"),
    };

    private string Reason(WithheldReason reason) => reason switch
    {
        WithheldReason.NoConsent => T["no consent"],
        WithheldReason.Expired => T["consent expired"],
        WithheldReason.NotInPurpose => T["not needed for this purpose"],
        WithheldReason.Restricted => T["processing restricted"],
        WithheldReason.Objected => T["you objected"],
        WithheldReason.Erased => T["erased"],
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    private List<string> FieldTitles(string? fields) =>
        string.IsNullOrEmpty(fields)
            ? []
            : catalogue.InDisplayOrder(fields.Split(',').Where(f => !f.Contains(':', StringComparison.Ordinal))).Select(catalogue.FieldTitle).ToList();

    private List<string> Withheld(string? withheld) =>
        WithheldFields.Parse(withheld).Select(w => $"{catalogue.FieldTitle(w.Field)} ({Reason(w.Reason)})").ToList();
}
