namespace DataVault.Portal.SelfService;

/// <summary>
/// Who acted, as the customer's access log and export name them: an organisation by its display name,
/// the customer themself, or "our compliance officer" — never a staff account's id.
/// </summary>
internal static class AuditActorText
{
    public static string Who(AuditRecord record, IReadOnlyDictionary<string, string> organisations, IStringLocalizer<AccessLogText> text)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(organisations);
        ArgumentNullException.ThrowIfNull(text);
        return record.ActorType switch
        {
            AuditActors.Client => organisations.GetValueOrDefault(record.ActorId, record.ActorId),
            AuditActors.Subject => text["You"],
            AuditActors.Officer => text["Our compliance officer"],
            _ => text["Our systems"],
        };
    }
}
