using DataVault.Portal.Export;
using DataVault.Vault.Requests;
using Microsoft.AspNetCore.Http;

namespace DataVault.Portal.Pages.Requests;

/// <summary>
/// Opens the one-time link the vault e-mailed to a subject's address on record to fulfil an access or portability
/// request (GDPR Art. 15 and 20): the export of their data, once, with no portal account needed. Whoever holds the
/// link reads that mailbox, so the download is recorded as the subject's, for the request. A link used already or
/// expired answers 410, an unknown one 404, each with a page that says what to do.
/// </summary>
internal sealed class DownloadModel(RequestExportLinks links, SubjectExports exports, AuditRecorder audit) : PageModel
{
    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        // Recorded as attempted before the link is used up, so no use of a link is without a trace.
        var attempt = new AuditEvent(Actor.Anonymous("export-link"), AuditActions.RequestExportDownload);
        (ExportLinkRedemption Redemption, SubjectExportSource? Source) opened;
        try
        {
            opened = await audit.RecordChangeAsync(
                attempt,
                async () =>
                {
                    var redemption = await links.RedeemAsync(token, cancellationToken);
                    var source = redemption is { Outcome: ExportLinkOutcome.Ok, SubjectId: { } subjectId } ? await exports.LoadAsync(subjectId, cancellationToken) : null;
                    return (redemption, source);
                },
                result => Outcome(result.redemption, result.source),
                cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            return PortalAudit.Unavailable();
        }

        if (opened.Source is { } found)
        {
            return await exports.ArchiveAsync(found, cancellationToken);
        }

        Response.StatusCode = opened.Redemption.Outcome == ExportLinkOutcome.NotFound ? StatusCodes.Status404NotFound : StatusCodes.Status410Gone;
        return Page();
    }

    private static (AuditEvent Entry, string Outcome) Outcome(ExportLinkRedemption redemption, SubjectExportSource? source)
    {
        if (redemption is not { SubjectId: { } subjectId, RequestId: { } requestId })
        {
            return (new AuditEvent(Actor.Anonymous("export-link"), AuditActions.RequestExportDownload), AuditOutcomes.NotFound);
        }

        var subject = Actor.Subject(subjectId).ForRequest(requestId);
        return source is null
            ? (new AuditEvent(subject, AuditActions.RequestExportDownload, subjectId), AuditOutcomes.Gone)
            : (new AuditEvent(subject, AuditActions.RequestExportDownload, subjectId, Fields: source.FieldNames), AuditOutcomes.Success);
    }
}
