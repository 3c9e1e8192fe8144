using DataVault.Vault;

namespace DataVault.Portal;

/// <summary>Links into the portal that other parts of the host hand out.</summary>
public static class PortalLinks
{
    /// <summary>The page an invitation opens (<c>Pages/Account/Activate.cshtml</c>).</summary>
    public const string ActivationPath = "/account/activate";

    /// <summary>
    /// The address of the activation page, to which the vault appends an invitation's token in the link
    /// it e-mails, at the service's configured public origin: never built from a request's Host header,
    /// which would let whoever asks for a link choose where it points.
    /// </summary>
    public static string ActivationPage(PublicOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return origin.Combine(ActivationPath);
    }

    /// <summary>The page a "forgot password" link opens (<c>Pages/Account/ResetPassword.cshtml</c>).</summary>
    public const string PasswordResetPath = "/account/reset-password";

    /// <summary>The address of the password reset page at the configured public origin, to which the vault appends the link's token.</summary>
    public static string PasswordResetPage(PublicOrigin origin)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return origin.Combine(PasswordResetPath);
    }
}
