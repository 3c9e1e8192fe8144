using DataVault.Portal.Export;

namespace DataVault.Portal.Pages.My;

/// <summary>
/// "Download my data" (GDPR Art. 15 right of access, Art. 20 portability): one button that streams a
/// ZIP of everything held on the signed-in customer's own subject, in JSON and CSV, with a manifest of
/// SHA-256 digests. The subject comes only from the sign-in cookie; any id in the form or URL is ignored.
/// </summary>
internal sealed class ExportModel(SubjectExports exports, PortalAudit audit) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (await exports.LoadAsync(User.SubjectId(), cancellationToken) is not { } source)
        {
            return NotFound();
        }

        // Every access is audited or refused: the export is on record before its first byte is sent.
        if (!await audit.RecordAsync(User, AuditActions.SubjectExport, AuditOutcomes.Success, cancellationToken, fields: source.FieldNames))
        {
            return PortalAudit.Unavailable();
        }

        return await exports.ArchiveAsync(source, cancellationToken);
    }
}
