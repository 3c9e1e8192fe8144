using DataVault.Portal.Requests;
using DataVault.Vault.Requests;

namespace DataVault.Portal.Pages.My.Requests;

/// <summary>What a customer writes to open a request.</summary>
internal sealed class OpenRequestInput
{
    public string? Type { get; set; }

    /// <summary>What they ask for and why (the ground of an objection, which data is wrong): the first note of the request.</summary>
    public string? Details { get; set; }
}

/// <summary>
/// "My requests": the customer's own data-subject requests with their status and due date, and a form to open one
/// for a right the portal cannot honour in one click (correcting data they cannot edit, objecting on grounds of
/// their particular situation, restricting processing while accuracy is checked). A request opened here is the
/// signed-in customer's own, so their identity is established by their sign-in. Only requests about their own
/// subject are listed or shown. Audited as the customer's <c>request.list</c> and <c>request.create</c>.
/// </summary>
internal sealed class IndexModel(RequestService requests, PortalAudit audit, IStringLocalizer<RequestText> text, ILogger<IndexModel> logger) : PageModel
{
    /// <summary>The rights a customer asks for here; the others the portal does itself (download, erase, consents, restrict or object to all).</summary>
    public static IReadOnlyList<string> Types { get; } = [RequestTypes.Rectification, RequestTypes.Objection, RequestTypes.Restriction, RequestTypes.Access];

    [BindProperty]
    public OpenRequestInput Input { get; set; } = new();

    public IReadOnlyList<RequestView> Requests { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await ListAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (Input.Type is null || !Types.Contains(Input.Type, StringComparer.Ordinal))
        {
            ModelState.AddModelError("Input.Type", text["Choose what you ask for."]);
        }

        if (string.IsNullOrWhiteSpace(Input.Details))
        {
            ModelState.AddModelError("Input.Details", text["Tell us what you ask for and why."]);
        }

        if (!ModelState.IsValid)
        {
            return await audit.RecordAsync(User, AuditActions.RequestCreate, AuditOutcomes.Invalid, cancellationToken) && await ListAsync(cancellationToken)
                ? Page()
                : PortalAudit.Unavailable();
        }

        var subjectId = User.SubjectId();
        var actor = Actor.Subject(subjectId);
        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.RequestCreate,
            () => requests.CreateAsync(new NewRequest(Input.Type, subjectId, null, RequestChannels.Portal, null, null, null, Input.Details), actor, cancellationToken),
            RequestOutcomes.Audit,
            cancellationToken);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        if (change.Result.Request is not { } created)
        {
            foreach (var (key, message) in RequestOutcomes.Errors(change.Result, text, field => field == "type" ? "Input.Type" : "Input.Details"))
            {
                ModelState.AddModelError(key, message);
            }

            return await ListAsync(cancellationToken) ? Page() : PortalAudit.Unavailable();
        }

        var id = created.Request.Id;
        Log.RequestOpenedInPortal(logger, id, created.Request.Type);
        var verified = await audit.RecordChangeAsync(
            User, AuditActions.RequestIdentityVerify, () => requests.RecordPortalSignInAsync(id, actor, cancellationToken), RequestOutcomes.Audit, cancellationToken, fields: "identity:" + IdentityMethods.PortalSignIn);
        return verified.Recorded ? Redirect($"/my/requests/{id}") : PortalAudit.Unavailable();
    }

    private async Task<bool> ListAsync(CancellationToken cancellationToken)
    {
        var page = await requests.ListAsync(new RequestFilter(SubjectId: User.SubjectId()), null, RequestService.MaxPageSize, cancellationToken);
        Requests = page!.Requests;
        return await audit.RecordAsync(User, AuditActions.RequestList, AuditOutcomes.Success, cancellationToken);
    }
}
