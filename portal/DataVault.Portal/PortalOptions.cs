using System.ComponentModel.DataAnnotations;

namespace DataVault.Portal;

/// <summary>Settings of the customer portal, bound from the <c>Portal</c> section and validated at start.</summary>
public sealed class PortalOptions
{
    public const string SectionName = "Portal";

    /// <summary>Sign-in attempts (password or two-factor code) allowed per client address per minute. Default: 20.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerAddressPerMinute { get; set; } = 20;

    /// <summary>Sign-in attempts allowed per account (e-mail address) per minute. Default: 10.</summary>
    [Range(1, 10_000)]
    public int SignInAttemptsPerAccountPerMinute { get; set; } = 10;

    /// <summary>"Forgot password" requests allowed per client address per hour. Default: 10.</summary>
    [Range(1, 10_000)]
    public int PasswordResetRequestsPerAddressPerHour { get; set; } = 10;

    /// <summary>"Forgot password" requests allowed per e-mail address typed per hour, so no mailbox is flooded with links. Default: 3.</summary>
    [Range(1, 1_000)]
    public int PasswordResetRequestsPerAccountPerHour { get; set; } = 3;

    /// <summary>A portal session ends after this long without a request. Default: 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);
}
