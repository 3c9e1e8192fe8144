using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Consents;

/// <summary>
/// Global Privacy Control: a request about a subject that carries <c>Sec-GPC: 1</c> (relayed from the
/// subject's browser by the calling system) records an objection to every purpose the catalogue marks
/// as sale or sharing, before the request itself is handled, so it already counts for that request.
/// The filter runs on every subject request; the consent service (and its database context) is only
/// created for the requests that carry the signal.
/// </summary>
internal sealed class GlobalPrivacyControlFilter : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers["Sec-GPC"] == "1"
            && http.Request.RouteValues["subjectId"] is string subjectId
            && SubjectId.IsWellFormed(subjectId))
        {
            var caller = http.RequestServices.GetRequiredService<CurrentCaller>();
            var consents = http.RequestServices.GetRequiredService<ConsentService>();
            try
            {
                // The objections are a change like any other: written with their audit entries, or not at all.
                await consents.ApplyGlobalPrivacyControlAsync(subjectId, caller.Actor, http.RequestAborted);
            }
            catch (AuditUnavailableException)
            {
                return Auditing.AuditText.Unavailable(http);
            }
        }

        return await next(context);
    }
}
