using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
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
internal sealed class GlobalPrivacyControlFilter(IAuditTrail trail) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.Request.Headers["Sec-GPC"] == "1"
            && http.Request.RouteValues["subjectId"] is string subjectId
            && SubjectId.IsWellFormed(subjectId))
        {
            var clientId = http.Client().Id;
            var consents = http.RequestServices.GetRequiredService<ConsentService>();
            try
            {
                // The objections are committed only once their audit entry is durable.
                await consents.ApplyGlobalPrivacyControlAsync(
                    subjectId,
                    Actor.Client(clientId),
                    purposes => trail.WriteAsync(
                        new AuditRecord(AuditActors.Client, clientId, AuditActions.ObjectionRecord, AuditOutcomes.Success, subjectId, Fields: "gpc:" + string.Join('+', purposes), TraceId: http.TraceIdentifier),
                        http.RequestAborted),
                    http.RequestAborted);
            }
            catch (AuditUnavailableException)
            {
                return Auditing.AuditText.Unavailable(http);
            }
        }

        return await next(context);
    }
}
