using DataVault.Vault;

namespace DataVault.Portal;

/// <summary>Links into the portal that other parts of the host hand out.</summary>
public static class PortalLinks
{
    /// <summary>The page an invitation opens (<c>Pages/Account/Activate.cshtml</c>).</summary>
    public const string ActivationPath = "/account/activate";

    /// <summary>
    /// The activation link for an invitation token, at the service's configured public origin: never
    /// built from a request's Host header, which would let whoever asks for a link choose where it points.
    /// </summary>
    public static string Activation(PublicOrigin origin, string token)
    {
        ArgumentNullException.ThrowIfNull(origin);
        return origin.Combine($"{ActivationPath}?token={Uri.EscapeDataString(token)}");
    }
}
