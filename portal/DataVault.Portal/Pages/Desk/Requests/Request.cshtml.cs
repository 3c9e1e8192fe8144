using DataVault.Portal.Requests;
using DataVault.Vault.Clients;
using DataVault.Vault.Requests;

namespace DataVault.Portal.Pages.Desk.Requests;

/// <summary>What an officer types for one of the actions on a request; each form posts only its own fields.</summary>
internal sealed class RequestActionInput
{
    public string? Assignee { get; set; }

    public string? To { get; set; }

    public bool PauseClock { get; set; }

    public string? Evidence { get; set; }

    public int Months { get; set; }

    public string? Reason { get; set; }

    public string? RefusalReason { get; set; }

    public string? Text { get; set; }
}

/// <summary>
/// One data-subject request at the officer's desk: where it stands against its deadline, its full history, and
/// the actions on it through <see cref="RequestService"/>, the same as the API's: assign, move to another step
/// (entering the identity check may pause the clock), record an identity document checked in person, extend the
/// period with the reasons, refuse with a reason from the fixed list and an explanation, add a note, complete.
/// Each view is audited as the officer's <c>request.read</c>, each change as attempted, then its outcome; a change
/// answers with a redirect to the request, so a reload never repeats it.
/// </summary>
internal sealed class RequestModel(
    RequestService requests, ClientService clients, OfficerService officers, PortalAudit audit, IStringLocalizer<RequestText> text, IStringLocalizer<DeskText> desk, ILogger<RequestModel> logger)
    : PageModel
{
    [BindProperty]
    public RequestActionInput Act { get; set; } = new();

    public RequestDetail Detail { get; private set; } = null!;

    /// <summary>Staff accounts and integrating systems by name, for the history and the assignment.</summary>
    public DeskNames Names { get; private set; } = null!;

    public IReadOnlyList<OfficerInfo> Officers { get; private set; } = [];

    /// <summary>After a change: it was made.</summary>
    public bool Done { get; private set; }

    /// <summary>The steps a request in <paramref name="status"/> may move to by a transition (completion and refusal have their own forms).</summary>
    public static IReadOnlyList<string> Moves(string status) => status switch
    {
        RequestStatuses.Received => [RequestStatuses.IdentityCheck, RequestStatuses.InProgress, RequestStatuses.Withdrawn],
        RequestStatuses.IdentityCheck => [RequestStatuses.InProgress, RequestStatuses.Withdrawn],
        RequestStatuses.InProgress => [RequestStatuses.Withdrawn],
        _ => [],
    };

    public async Task<IActionResult> OnGetAsync(string id, bool done, CancellationToken cancellationToken)
    {
        if (await requests.GetAsync(id, cancellationToken) is not { } detail)
        {
            return await audit.RecordAsync(User, AuditActions.RequestRead, AuditOutcomes.NotFound, cancellationToken) ? NotFound() : PortalAudit.Unavailable();
        }

        if (!await audit.RecordAsync(User, AuditActions.RequestRead, AuditOutcomes.Success, cancellationToken, subjectId: detail.Request.SubjectId))
        {
            return PortalAudit.Unavailable();
        }

        Done = done;
        await ShowAsync(detail, cancellationToken);
        return Page();
    }

    public Task<IActionResult> OnPostAssignAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestAssign, "assign", actor => requests.AssignAsync(id, Act.Assignee, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostMoveAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestTransition, "move", actor => requests.MoveAsync(id, Act.To, Act.PauseClock && Act.To == RequestStatuses.IdentityCheck, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostVerifyAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestIdentityVerify, "identity", actor => requests.RecordManualCheckAsync(id, Act.Evidence, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostExtendAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestExtend, "extend", actor => requests.ExtendAsync(id, Act.Months, Act.Reason, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostRefuseAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestRefuse, "refuse", actor => requests.RefuseAsync(id, Act.RefusalReason, Act.Text, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostNoteAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestNote, "note", actor => requests.AddNoteAsync(id, Act.Text, actor, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostCompleteAsync(string id, CancellationToken cancellationToken) =>
        ChangeAsync(id, AuditActions.RequestComplete, "complete", actor => requests.CompleteAsync(id, Act.Text, actor, cancellationToken), cancellationToken);

    /// <summary>Who an entry of the history names: a staff member by e-mail address, a system by name, the customer as such.</summary>
    public string Who(RequestEventView entry) => entry.ActorType switch
    {
        AuditActors.Officer => Names.Staff(entry.ActorId),
        AuditActors.Client => Names.Client(entry.ActorId),
        AuditActors.Subject => desk["The customer"],
        _ => "DataVault",
    };

    /// <summary>
    /// Makes one change between its audit entries (<paramref name="action"/>, naming the request's subject), then
    /// redirects to the request; a refused change shows the request again with what to correct, and nothing written.
    /// </summary>
    private async Task<IActionResult> ChangeAsync(string id, string action, string form, Func<Actor, Task<RequestResult>> change, CancellationToken cancellationToken)
    {
        if (await requests.GetAsync(id, cancellationToken) is not { } before)
        {
            return await audit.RecordAsync(User, action, AuditOutcomes.NotFound, cancellationToken) ? NotFound() : PortalAudit.Unavailable();
        }

        var made = await audit.RecordChangeAsync(
            User, action, () => change(Actor.Officer(User.AccountId())), RequestOutcomes.Audit, cancellationToken, subjectId: before.Request.SubjectId);
        if (!made.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        if (made.Result.Request is not null)
        {
            Log.RequestChangedAtDesk(logger, id, form);
            return Redirect($"/desk/requests/{id}?done=true");
        }

        foreach (var (key, message) in RequestOutcomes.Errors(made.Result, text, field => ErrorKey(form, field)))
        {
            ModelState.AddModelError(key, message);
        }

        await ShowAsync(await requests.GetAsync(id, cancellationToken) ?? before, cancellationToken);
        return Page();
    }

    /// <summary>The form field a vault error is about: the vault names its own parameters.</summary>
    private static string ErrorKey(string form, string field) => (form, field) switch
    {
        (_, "assignee") => "Act.Assignee",
        (_, "to" or "pauseClock") => "Act.To",
        (_, "evidence") => "Act.Evidence",
        (_, "months") => "Act.Months",
        ("extend", "reason") => "Act.Reason",
        ("refuse", "reason") => "Act.RefusalReason",
        ("refuse", "text") => "Act.RefusalText",
        ("complete", _) => "Act.Summary",
        (_, "text") => "Act.Text",
        _ => "Act",
    };

    private async Task ShowAsync(RequestDetail detail, CancellationToken cancellationToken)
    {
        Detail = detail;
        Names = await DeskNames.LoadAsync(clients, officers, desk, cancellationToken);
        Officers = await officers.ListAsync(cancellationToken);
    }
}
