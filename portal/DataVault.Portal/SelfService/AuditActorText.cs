namespace DataVault.Portal.SelfService;

/// <summary>
/// Who acted, as the customer's access log and export name them: an organisation by its display name
/// (and the person who used its screens, "Demo CRM, by J. Smith"), the customer themself, or "our
/// compliance officer" — never a staff account's id.
/// </summary>
internal static class AuditActorText
{
    public static string Who(
        AuditRecord record, IReadOnlyDictionary<string, string> organisations, IReadOnlyDictionary<string, string> people, IStringLocalizer<AccessLogText> text)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(organisations);
        ArgumentNullException.ThrowIfNull(people);
        ArgumentNullException.ThrowIfNull(text);
        var organisation = organisations.GetValueOrDefault(record.ActorId, record.ActorId);
        return record.ActorType switch
        {
            AuditActors.Client when record.OnBehalfOf is { } person => text["{0}, by {1}", organisation, people.GetValueOrDefault(person) ?? text["a member of staff"]],
            AuditActors.Client => organisation,
            AuditActors.Subject => text["You"],
            AuditActors.Officer => text["Our compliance officer"],
            _ => text["Our systems"],
        };
    }
}
