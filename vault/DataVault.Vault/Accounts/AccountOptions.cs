using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Accounts;

/// <summary>Settings of portal accounts and invitations, bound from the <c>Accounts</c> section and validated at start.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "Accounts";

    /// <summary>How long an invitation link can be used. Default: 7 days.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan InvitationLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>How long a "forgot password" link can be used. Default: 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan PasswordResetLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Failed sign-ins (password or two-factor code) after which an account is locked. Default: 5.</summary>
    [Range(1, 100)]
    public int MaxFailedSignInAttempts { get; set; } = 5;

    /// <summary>How long an account stays locked after too many failures. Default: 15 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// Shortest accepted password. Default: 12. NIST SP 800-63B §5.1.1.2 asks for at least 8 and no
    /// composition rules (digits, symbols), so length is the only rule.
    /// </summary>
    [Range(8, 128)]
    public int MinimumPasswordLength { get; set; } = 12;
}
