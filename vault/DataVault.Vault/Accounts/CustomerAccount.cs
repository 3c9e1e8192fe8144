using Microsoft.AspNetCore.Identity;

namespace DataVault.Vault.Accounts;

/// <summary>
/// An ASP.NET Core Identity account. A customer's account is linked to exactly one subject (a unique
/// index enforces one account per subject); staff (officers, administrators, agents) have a role instead
/// and no subject. The user name and e-mail are the address the person signs in with; the subject's own
/// personal data stays encrypted in the vault and is never copied here.
/// </summary>
public sealed class CustomerAccount : IdentityUser
{
    /// <summary>The subject this customer account belongs to; null for officers and administrators.</summary>
    public string? SubjectId { get; set; }

    /// <summary>When the account was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// A staff member's name as the audit trail's readers see it next to the system they used
    /// ("Demo CRM, by J. Smith"); null for customers, whose names stay encrypted in the vault.
    /// </summary>
    public string? DisplayName { get; set; }
}

/// <summary>The roles of staff accounts; a customer account has none.</summary>
public static class AccountRoles
{
    /// <summary>A compliance officer: audits access and handles data-subject requests.</summary>
    public const string Officer = "officer";

    /// <summary>An administrator of the vault.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// A person using an integrating system's screens (a CRM): signs in here to let the system act on
    /// their behalf (authorization code flow), within that system's scopes and purposes.
    /// </summary>
    public const string Agent = "agent";

    public static IReadOnlyList<string> All { get; } = [Officer, Admin, Agent];
}
