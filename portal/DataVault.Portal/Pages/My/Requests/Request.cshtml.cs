using DataVault.Vault.Requests;

namespace DataVault.Portal.Pages.My.Requests;

/// <summary>
/// One of the customer's own requests: what they asked, where it stands and by when it is due, the notes they wrote
/// and the steps taken; an open request they may withdraw. Another customer's request, or none, is not found.
/// Audited as the customer's <c>request.read</c>, a withdrawal as <c>request.transition</c>.
/// </summary>
internal sealed class RequestModel(RequestService requests, PortalAudit audit, ILogger<RequestModel> logger) : PageModel
{
    public RequestDetail Detail { get; private set; } = null!;

    /// <summary>After a withdrawal: it was made.</summary>
    public bool Withdrawn { get; private set; }

    public async Task<IActionResult> OnGetAsync(string id, bool withdrawn, CancellationToken cancellationToken)
    {
        if (await OwnAsync(id, cancellationToken) is not { } detail)
        {
            return await audit.RecordAsync(User, AuditActions.RequestRead, AuditOutcomes.NotFound, cancellationToken) ? NotFound() : PortalAudit.Unavailable();
        }

        if (!await audit.RecordAsync(User, AuditActions.RequestRead, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        Detail = detail;
        Withdrawn = withdrawn;
        return Page();
    }

    public async Task<IActionResult> OnPostWithdrawAsync(string id, CancellationToken cancellationToken)
    {
        if (await OwnAsync(id, cancellationToken) is null)
        {
            return await audit.RecordAsync(User, AuditActions.RequestTransition, AuditOutcomes.NotFound, cancellationToken) ? NotFound() : PortalAudit.Unavailable();
        }

        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.RequestTransition,
            () => requests.MoveAsync(id, RequestStatuses.Withdrawn, false, Actor.Subject(User.SubjectId()), cancellationToken),
            Portal.Requests.RequestOutcomes.Audit,
            cancellationToken);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        if (change.Result.Request is not null)
        {
            Log.RequestWithdrawnInPortal(logger, id);
        }

        // A request already closed stays as it is; the page shows where it stands.
        return Redirect($"/my/requests/{id}" + (change.Result.Request is null ? string.Empty : "?withdrawn=true"));
    }

    /// <summary>The request when it is about the signed-in customer; null for another's or none.</summary>
    private async Task<RequestDetail?> OwnAsync(string id, CancellationToken cancellationToken) =>
        await requests.GetAsync(id, cancellationToken) is { } detail && detail.Request.SubjectId == User.SubjectId() ? detail : null;
}
