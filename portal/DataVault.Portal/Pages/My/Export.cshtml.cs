using System.Runtime.CompilerServices;
using System.Text.Json;
using DataVault.Portal.Export;
using DataVault.Portal.SelfService;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.Pages.My;

/// <summary>
/// "Download my data" (GDPR Art. 15 right of access, Art. 20 portability): one button that streams a
/// ZIP of everything held on the signed-in customer's own subject, in JSON and CSV, with a manifest of
/// SHA-256 digests. The subject comes only from the sign-in cookie; any id in the form or URL is ignored.
/// </summary>
internal sealed class ExportModel(
    SubjectService subjects,
    ConsentService consents,
    ClientService clients,
    OfficerService staff,
    AuditQueryService auditQuery,
    PortalAudit audit,
    PolicyCatalogue catalogue,
    ControllerProfile controller,
    TimeProvider time,
    IStringLocalizer<AccessLogText> accessLogText) : PageModel
{
    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var subjectId = User.SubjectId();
        var subject = await subjects.GetAsync(subjectId, cancellationToken);
        var history = await consents.GetHistoryAsync(subjectId, cancellationToken);
        if (subject.Outcome != VaultOutcome.Ok || history.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var fields = subject.Value!.Fields;

        // Every access is audited or refused: the export is on record before its first byte is sent.
        if (!await audit.RecordAsync(User, AuditActions.SubjectExport, AuditOutcomes.Success, cancellationToken, fields: string.Join(',', fields.Select(f => f.Name))))
        {
            return PortalAudit.Unavailable();
        }

        // The access log is read up to and including the entry just written, so data.json and
        // access-log.csv list the same entries even if others arrive while the ZIP is being written.
        var last = auditQuery.Search(new AuditQuery(SubjectId: subjectId), 1) is [var newest] ? newest.Sequence : 0;
        var organisations = await clients.ListAsync(cancellationToken);
        var names = organisations.ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal);
        var people = await staff.StaffNamesAsync(cancellationToken);

        return new ExportArchiveResult(new ExportContent(
            new ExportController(
                controller.Name,
                controller.AddressLines,
                controller.ContactEmail,
                controller.DpoEmail,
                controller.SupervisoryAuthorityName,
                controller.SupervisoryAuthorityUrl,
                controller.PrivacyNoticeUrl),
            subjectId,
            time.GetUtcNow(),
            PortalCultures.Current,
            fields.Select(Field).ToList(),
            history.Value!.Select(Consent).ToList(),
            catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal).Select(Purpose).ToList(),
            catalogue.Purposes.Keys.Order(StringComparer.Ordinal)
                .SelectMany(purpose => PurposeRecipients.Of(organisations, purpose).Select(c => new ExportRecipient(purpose, c.Id, c.DisplayName)))
                .ToList(),
            ct => AccessLogAsync(subjectId, last, names, people, ct)));
    }

    private ExportField Field(FieldSnapshot field) => new(
        field.Name,
        catalogue.FieldTitle(field.Name),
        field.Value,
        catalogue.Fields.TryGetValue(field.Name, out var definition) ? definition.DataCategory : string.Empty,
        field.Version,
        field.UpdatedAt);

    private ExportConsent Consent(ConsentEventView e) => new(
        e.Id,
        e.PurposeId,
        catalogue.PurposeTitle(e.PurposeId),
        e.PurposeVersion,
        ConsentStates.ToText(e.State),
        e.OccurredAt,
        e.RecordedAt,
        e.ExpiresAt,
        e.CollectionMethod,
        e.Actor.Type,
        e.NoticeLanguage,
        e.Evidence);

    private static ExportPurpose Purpose(PurposeDefinition purpose)
    {
        var local = purpose.LocalText();
        return new ExportPurpose(
            purpose.Id,
            local.Title,
            local.Description,
            JsonNamingPolicy.KebabCaseLower.ConvertName(purpose.LawfulBasis.ToString()),
            purpose.Retention.ToString(),
            purpose.Fields,
            purpose.Version);
    }

    private async IAsyncEnumerable<ExportAccess> AccessLogAsync(
        string subjectId, long last, Dictionary<string, string> names, IReadOnlyDictionary<string, string> people, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entry in auditQuery.StreamAsync(new AuditQuery(SubjectId: subjectId, Before: last + 1), cancellationToken))
        {
            var record = entry.Record;
            yield return new ExportAccess(
                entry.Sequence,
                entry.OccurredAt,
                record.ActorType,
                AuditActorText.Who(record, names, people, accessLogText),
                record.Action,
                record.Outcome,
                record.PurposeId,
                string.IsNullOrEmpty(record.Fields) ? [] : record.Fields.Split(','));
        }
    }
}
