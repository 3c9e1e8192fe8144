using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace DataVault.Portal;

/// <summary>
/// Headers on every portal response: pages, the stylesheet, downloads, and the redirects and error
/// answers (404, 429, 503) given for portal addresses. Pages show personal data and carry one-time
/// links, so nothing is cached unless the endpoint says otherwise (the stylesheet does), nothing
/// leaks through the Referer (the activation token is in the URL), nothing can be framed
/// (clickjacking), and only the portal's own stylesheet, inline images (the QR code) and forms to
/// itself are allowed (and, on the consent page, to the client its answer goes back to: <see cref="PortalFormTarget"/>): no script at all. Set when the response starts, so answers written later in
/// the pipeline (status code pages, the exception handler) carry them too.
/// </summary>
internal sealed class PortalResponseHeaders(RequestDelegate next)
{
    /// <summary>The portal's Content Security Policy (CSP Level 3).</summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    /// <summary>The addresses the portal owns besides its pages: <c>/</c> and everything under these.</summary>
    private static readonly PathString[] OwnedPaths = ["/my", "/desk", "/account", "/assets", "/language"];

    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Response.OnStarting(
            static state =>
            {
                var http = (HttpContext)state;
                Apply(http.Response.Headers, http.Features.Get<PortalFormTarget>());
                return Task.CompletedTask;
            },
            context);
        return next(context);
    }

    /// <summary>True for a portal page, and for any request to an address the portal owns (found or not).</summary>
    public static bool Applies(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null)
        {
            return true;
        }

        var path = context.Request.Path;
        return path == "/" || Array.Exists(OwnedPaths, owned => path.StartsWithSegments(owned, StringComparison.OrdinalIgnoreCase));
    }

    private static void Apply(IHeaderDictionary headers, PortalFormTarget? formTarget)
    {
        if (!headers.ContainsKey(HeaderNames.CacheControl))
        {
            headers.CacheControl = "no-cache, no-store";
            headers.Pragma = "no-cache";
        }

        headers.ContentSecurityPolicy = formTarget is null
            ? ContentSecurityPolicy
            : ContentSecurityPolicy.Replace("form-action 'self'", $"form-action 'self' {formTarget.Origin}", StringComparison.Ordinal);
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
    }
}
