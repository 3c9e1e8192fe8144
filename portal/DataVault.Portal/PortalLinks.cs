using Microsoft.AspNetCore.Http;

namespace DataVault.Portal;

/// <summary>Links into the portal that other parts of the host hand out.</summary>
public static class PortalLinks
{
    /// <summary>The page an invitation opens (<c>Pages/Account/Activate.cshtml</c>).</summary>
    public const string ActivationPath = "/account/activate";

    /// <summary>
    /// The address of the activation page, to which the vault appends an invitation's token in the link
    /// it e-mails: under <see cref="PortalOptions.PublicBaseUrl"/> or, when that is not set, under the
    /// scheme, host and path base of <paramref name="request"/>.
    /// </summary>
    public static string ActivationPage(PortalOptions options, HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(request);
        var baseUrl = options.PublicBaseUrl?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
        return baseUrl + ActivationPath;
    }
}
