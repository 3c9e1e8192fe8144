using System.Diagnostics;
using DataVault.Api.Authorization;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Auditing;

/// <summary>
/// Every access is audited, or refused: after the handler has decided, and before its result is
/// written to the response, the entry is made durable. If that fails, the caller gets 503 and the
/// result (which may hold personal data) is dropped.
/// </summary>
internal sealed class AuditFilter(IAuditTrail trail, PolicyCatalogue catalogue) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var action = http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>()
            ?? throw new InvalidOperationException($"The route {http.Request.Path} declares no audit action; call .Audited(...) on it.");

        // A change is recorded as attempted before it is made: if the trail cannot take that entry,
        // nothing changes; if it fails afterwards, the attempt is already on record.
        if (!HttpMethods.IsGet(http.Request.Method) && !HttpMethods.IsHead(http.Request.Method))
        {
            try
            {
                await trail.WriteAsync(Record(http, action, AuditOutcomes.Attempted, new AuditDetails()), http.RequestAborted);
            }
            catch (AuditUnavailableException)
            {
                return AuditText.Unavailable(http);
            }
        }

        var result = await next(context);
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        var status = inner is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK;
        try
        {
            await trail.WriteAsync(Record(http, action, AuditOutcomes.FromStatus(status), http.AuditDetails()), http.RequestAborted);
        }
        catch (AuditUnavailableException)
        {
            return AuditText.Unavailable(http);
        }

        return result;
    }

    private AuditRecord Record(HttpContext http, AuditedAction action, string outcome, AuditDetails details) => new(
        AuditActors.Client,
        http.Client().Id,
        action.Action,
        outcome,
        details.SubjectId ?? RouteSubject(http),
        details.PurposeId ?? RoutePurpose(http),
        details.Fields,
        details.Withheld,
        Activity.Current?.TraceId.ToString() ?? http.TraceIdentifier,
        http.StaffId());

    /// <summary>Only well-formed ids go into the trail, so path tricks and junk never become audit content.</summary>
    private static string? RouteSubject(HttpContext http) =>
        http.Request.RouteValues["subjectId"] is string id && SubjectId.IsWellFormed(id) ? id : null;

    private string? RoutePurpose(HttpContext http)
    {
        var purpose = http.Request.RouteValues["purposeId"] as string ?? http.Request.Query["purpose"].ToString();
        return catalogue.Purposes.ContainsKey(purpose) ? purpose : null;
    }
}
