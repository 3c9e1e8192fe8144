using System.Runtime.CompilerServices;
using System.Text.Json;
using DataVault.Portal.SelfService;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.Export;

/// <summary>What a subject's export is made of, read before its audit entry is recorded.</summary>
internal sealed record SubjectExportSource(string SubjectId, IReadOnlyList<FieldSnapshot> Fields, IReadOnlyList<ConsentEventView> Consents)
{
    /// <summary>The names of the fields exported, for the audit entry.</summary>
    public string FieldNames => string.Join(',', Fields.Select(f => f.Name));
}

/// <summary>
/// The export of everything held on a subject (GDPR Art. 15 and 20), whoever hands it over: the customer's own
/// "Download my data", or the one-time link e-mailed to fulfil a request. Read the source, record the audit entry,
/// then write the archive: its access log runs up to and including that entry.
/// </summary>
internal sealed class SubjectExports(
    SubjectService subjects,
    ConsentService consents,
    ClientService clients,
    OfficerService staff,
    AuditQueryService auditQuery,
    PolicyCatalogue catalogue,
    ControllerProfile controller,
    TimeProvider time,
    IStringLocalizer<AccessLogText> accessLogText)
{
    /// <summary>The subject's fields and consents; null when the subject is unknown or erased.</summary>
    public async Task<SubjectExportSource?> LoadAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await subjects.GetAsync(subjectId, cancellationToken);
        var history = await consents.GetHistoryAsync(subjectId, cancellationToken);
        return subject.Outcome == VaultOutcome.Ok && history.Outcome == VaultOutcome.Ok
            ? new SubjectExportSource(subjectId, subject.Value!.Fields, history.Value!)
            : null;
    }

    /// <summary>The archive of <paramref name="source"/>, written in the current request's language; call once its export is on record.</summary>
    public async Task<ExportArchiveResult> ArchiveAsync(SubjectExportSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        var subjectId = source.SubjectId;

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
            source.Fields.Select(Field).ToList(),
            source.Consents.Select(Consent).ToList(),
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
