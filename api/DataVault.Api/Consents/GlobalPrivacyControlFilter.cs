using DataVault.Api.Authorization;
using DataVault.Vault.Consents;

namespace DataVault.Api.Consents;

/// <summary>
/// Global Privacy Control: a request about a subject that carries <c>Sec-GPC: 1</c> (relayed from the
/// subject's browser by the calling system) records an objection to every purpose the catalogue marks
/// as sale or sharing, before the request itself is handled, so it already counts for that request.
/// </summary>
internal sealed class GlobalPrivacyControlFilter(ConsentService consents) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers["Sec-GPC"] == "1" && http.Request.RouteValues["subjectId"] is string subjectId)
        {
            await consents.ApplyGlobalPrivacyControlAsync(subjectId, Actor.Client(http.Client().Id), http.RequestAborted);
        }

        return await next(context);
    }
}
