using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The CSV export of the desk's current audit filter, streamed page by page exactly as the API's
/// <c>GET /api/v1/audit/export?format=csv</c> does (same writer), so an export of millions of entries
/// runs in constant memory. Recorded as <c>audit.export</c> before the first byte is sent.
/// </summary>
internal sealed class AuditExportModel(
    AuditQueryService audit, PortalAudit trail, ClientService clients, OfficerService officers, IStringLocalizer<DeskText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AuditFilter Filter { get; set; } = new();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        // The export is every entry of the filter, not one page of it.
        var names = await DeskNames.LoadAsync(clients, officers, text, cancellationToken);
        var query = Filter.ToQuery(ModelState, text, names) is { } q ? q with { Before = null } : null;
        if (!await trail.RecordAsync(User, AuditActions.AuditExport, query is null ? AuditOutcomes.Invalid : AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        if (query is null)
        {
            return BadRequest(new ValidationProblemDetails(ModelState));
        }

        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = "attachment; filename=\"audit.csv\"";
        await AuditCsv.WriteAsync(Response.Body, audit.StreamAsync(query, cancellationToken), cancellationToken);
        return new EmptyResult();
    }
}
