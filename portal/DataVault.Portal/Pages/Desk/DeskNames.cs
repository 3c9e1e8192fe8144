using DataVault.Vault.Clients;
using DataVault.Vault.Mail;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// Who an id in the audit trail or a choice history is, for the officer's eyes: an integrating system by its
/// display name from the client registry, a staff account by its e-mail address, the person a system acted
/// for by their display name ("Demo CRM, by J. Smith"), the vault's own processes by what they are. Ids stay
/// what is stored and exported; names are only shown. Read once per page.
/// </summary>
internal sealed class DeskNames(
    IReadOnlyDictionary<string, string> clients, IReadOnlyDictionary<string, OfficerInfo> staff, IStringLocalizer<DeskText> text)
{
    public static async Task<DeskNames> LoadAsync(ClientService clients, OfficerService officers, IStringLocalizer<DeskText> text, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(officers);
        return new DeskNames(
            (await clients.ListAsync(cancellationToken)).ToDictionary(c => c.Id, c => c.DisplayName, StringComparer.Ordinal),
            (await officers.ListAsync(cancellationToken)).ToDictionary(o => o.Id, StringComparer.Ordinal),
            text);
    }

    /// <summary>An integrating system's display name, or its id when it is no longer registered.</summary>
    public string Client(string clientId) => clients.GetValueOrDefault(clientId, clientId);

    /// <summary>A staff account's e-mail address, or its id when the account is gone.</summary>
    public string Staff(string accountId) => staff.GetValueOrDefault(accountId)?.Email ?? accountId;

    /// <summary>A staff member a system acted for: their display name, else their e-mail address, else the id when the account is gone.</summary>
    public string Person(string accountId) => staff.GetValueOrDefault(accountId) is { } person ? person.DisplayName ?? person.Email : accountId;

    /// <summary>The id of the staff account that signs in with <paramref name="email"/>, if there is one.</summary>
    public string? StaffIdOf(string email) =>
        staff.Values.FirstOrDefault(s => string.Equals(s.Email, email, StringComparison.OrdinalIgnoreCase))?.Id;

    /// <summary>Who did what an audit entry records.</summary>
    public string Actor(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return record.ActorType switch
        {
            AuditActors.Client when record.OnBehalfOf is { } person => text["{0}, by {1}", Client(record.ActorId), Person(person)],
            AuditActors.Client => Client(record.ActorId),
            AuditActors.Officer => Staff(record.ActorId),
            AuditActors.Subject => text["The customer"],
            AuditActors.Anonymous => text["A visitor who was not signed in"],
            AuditActors.System when record.ActorId == AuditActors.MailSender => text["DataVault's e-mail sender"],
            AuditActors.System when record.ActorId == AuditActors.CommandLine => text["An administration command"],
            AuditActors.System => "DataVault",
            _ => record.ActorId,
        };
    }
}

/// <summary>A page of audit entries as the desk shows them, with the names of whom they mention and a caption saying which matches they are.</summary>
internal sealed record AuditEntriesView(IReadOnlyList<AuditEntry> Entries, DeskNames Names, string Caption, bool ShowSubject);
