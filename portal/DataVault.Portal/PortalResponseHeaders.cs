using Microsoft.AspNetCore.Mvc.Filters;

namespace DataVault.Portal;

/// <summary>
/// Headers on every portal page: pages show personal data and carry one-time links, so nothing is
/// cached, nothing leaks through the Referer (the activation token is in the URL), no page can be
/// framed (clickjacking), and only the portal's own stylesheet and inline QR image may load.
/// </summary>
internal sealed class PortalResponseHeaders : IAsyncPageFilter
{
    private const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.HttpContext.Response.Headers;
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        return next();
    }
}
