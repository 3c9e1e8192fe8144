using System.Globalization;
using DataVault.Portal.Requests;
using DataVault.Vault.Requests;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.Pages.Desk.Requests;

/// <summary>What an officer types to record a request received by e-mail, phone, letter or in person.</summary>
internal sealed class IntakeInput
{
    public string? Type { get; set; }

    public string? Channel { get; set; }

    /// <summary>The customer the request concerns, when the officer knows them; else the requester's contact details.</summary>
    public string? SubjectId { get; set; }

    public string? Name { get; set; }

    public string? Email { get; set; }

    public string? Phone { get; set; }

    /// <summary>The day it arrived (a letter may be entered days later); empty for today.</summary>
    public DateOnly? ReceivedOn { get; set; }

    public string? Note { get; set; }
}

/// <summary>
/// The officer's queue of data-subject requests (GDPR Art. 12): open ones first by due date, so the overdue lead,
/// each flagged overdue or due within the week, with a paused clock shown; filtered by status, type and overdue.
/// Below it, the intake of a request that reached the controller outside the portal. The list is audited as the
/// officer's <c>request.list</c>, a recorded request as <c>request.create</c> (attempted, then its outcome), through
/// the same <see cref="RequestService"/> as the API.
/// </summary>
internal sealed class IndexModel(RequestService requests, PortalAudit audit, IStringLocalizer<RequestText> text, TimeProvider time, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The channels an officer records; the portal and the API record their own requests.</summary>
    public static IReadOnlyList<string> IntakeChannels { get; } = [RequestChannels.Email, RequestChannels.Phone, RequestChannels.Letter, RequestChannels.InPerson];

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "type")]
    public string? Type { get; set; }

    /// <summary>"yes", "no" or empty for either.</summary>
    [BindProperty(SupportsGet = true, Name = "overdue")]
    public string? Overdue { get; set; }

    [BindProperty]
    public IntakeInput Intake { get; set; } = new();

    public IReadOnlyList<RequestView> Requests { get; private set; } = [];

    /// <summary>Whether there are more requests than the page shows.</summary>
    public bool More { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await ListAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var subjectId = Blank(Intake.SubjectId);
        var receivedAt = ReceivedAt(Intake.ReceivedOn);
        var input = new NewRequest(
            Intake.Type,
            subjectId,
            Blank(Intake.Name) is null && Blank(Intake.Email) is null && Blank(Intake.Phone) is null ? null : new RequesterContact(Intake.Name, Intake.Email, Intake.Phone),
            Intake.Channel,
            receivedAt,
            null,
            User.AccountId(),
            Intake.Note);
        if (Intake.Channel is { } channel && !IntakeChannels.Contains(channel, StringComparer.Ordinal))
        {
            ModelState.AddModelError("Intake.Channel", text["Choose how the request reached you."]);
        }

        if (subjectId is not null && !SubjectId.IsWellFormed(subjectId))
        {
            ModelState.AddModelError("Intake.SubjectId", text["This is not a subject id."]);
        }

        var auditedSubject = subjectId is not null && SubjectId.IsWellFormed(subjectId) ? subjectId : null;
        if (!ModelState.IsValid)
        {
            return await audit.RecordAsync(User, AuditActions.RequestCreate, AuditOutcomes.Invalid, cancellationToken, subjectId: auditedSubject)
                && await ListAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();
        }

        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.RequestCreate,
            () => requests.CreateAsync(input, Actor.Officer(User.AccountId()), cancellationToken),
            RequestOutcomes.Audit,
            cancellationToken,
            subjectId: auditedSubject);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        if (change.Result.Request is { } created)
        {
            Log.RequestRecordedAtDesk(logger, created.Request.Id, created.Request.Type, created.Request.Channel);
            return Redirect($"/desk/requests/{created.Request.Id}");
        }

        foreach (var (key, message) in RequestOutcomes.Errors(change.Result, text, IntakeKey))
        {
            ModelState.AddModelError(key, message);
        }

        return await ListAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();
    }

    private static string IntakeKey(string key) => key switch
    {
        "type" => "Intake.Type",
        "channel" => "Intake.Channel",
        "requester" or "requester.name" => "Intake.Name",
        "requester.email" => "Intake.Email",
        "requester.phone" => "Intake.Phone",
        "receivedAt" => "Intake.ReceivedOn",
        "note" => "Intake.Note",
        "subject" => "Intake.SubjectId",
        _ => "Intake",
    };

    private async Task<bool> ListAsync(CancellationToken cancellationToken)
    {
        if (Status is not null && !RequestStatuses.All.Contains(Status, StringComparer.Ordinal))
        {
            Status = null;
        }

        if (Type is not null && !RequestTypes.All.Contains(Type, StringComparer.Ordinal))
        {
            Type = null;
        }

        bool? overdue = Overdue switch { "yes" => true, "no" => false, _ => null };
        const int Shown = 100;
        var page = await requests.ListAsync(new RequestFilter(Status, Type, null, overdue), null, Shown, cancellationToken);
        Requests = page!.Requests;
        More = page.NextCursor is not null;
        return await audit.RecordAsync(User, AuditActions.RequestList, AuditOutcomes.Success, cancellationToken);
    }

    /// <summary>The moment of receipt for a day given: now for today or no day, else midday UTC of that day (a day in the future stays in the future, and the vault refuses it).</summary>
    private DateTimeOffset? ReceivedAt(DateOnly? day)
    {
        if (day is not { } received || received == DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime))
        {
            return null;
        }

        return new DateTimeOffset(received.ToDateTime(new TimeOnly(12, 0), DateTimeKind.Utc));
    }

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    /// <summary>The day as the date input shows it.</summary>
    public static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
