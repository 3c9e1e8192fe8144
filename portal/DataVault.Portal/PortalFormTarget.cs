using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenIddict.Abstractions;

namespace DataVault.Portal;

/// <summary>
/// Another origin a page's form may lead to: the redirect URI of an authorization request, where the
/// authorization code goes back to a CRM. Browsers apply CSP <c>form-action</c> to the redirects that
/// follow a form's submission too, so the consent page (and the sign-in pages that lead to it) name that
/// origin for their own response only (<see cref="PortalResponseHeaders"/>).
/// </summary>
internal sealed record PortalFormTarget(string Origin)
{
    private static readonly PathString AuthorizationEndpoint = "/connect/authorize";

    /// <summary>Lets the page's forms lead to the origin of <paramref name="redirectUri"/>.</summary>
    public static void Allow(HttpContext context, Uri redirectUri)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(redirectUri);
        context.Features.Set(new PortalFormTarget(redirectUri.GetLeftPart(UriPartial.Authority)));
    }

    /// <summary>
    /// When a sign-in page returns to an authorization request (<paramref name="returnUrl"/>), lets its
    /// form lead on to that request's redirect URI: an agent who consented before is sent straight back
    /// to the CRM. Only a redirect URI the client registered counts.
    /// </summary>
    public static async Task AllowReturnToAuthorizationAsync(HttpContext context, IUrlHelper url, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(url);
        if (!url.IsLocalUrl(returnUrl) || !Uri.TryCreate(new Uri("http://portal"), returnUrl, out var local) || local.AbsolutePath != AuthorizationEndpoint)
        {
            return;
        }

        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(local.Query);
        if (query.TryGetValue(OpenIddictConstants.Parameters.ClientId, out var clientId)
            && query.TryGetValue(OpenIddictConstants.Parameters.RedirectUri, out var redirect)
            && Uri.TryCreate(redirect.ToString(), UriKind.Absolute, out var redirectUri)
            && context.RequestServices.GetService(typeof(IOpenIddictApplicationManager)) is IOpenIddictApplicationManager applications
            && await applications.FindByClientIdAsync(clientId.ToString(), context.RequestAborted) is { } client
            && await applications.ValidateRedirectUriAsync(client, redirect.ToString(), context.RequestAborted))
        {
            Allow(context, redirectUri);
        }
    }
}
