using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Auditing;

/// <summary>
/// Every access is audited, or refused: after the handler has decided, and before its result is
/// written to the response, the entry is made durable. If that fails, the caller gets 503 and the
/// result (which may hold personal data) is dropped. A change is recorded as attempted before the
/// handler runs (<see cref="AuditRecorder.RecordChangeAsync"/>): if the trail cannot take that entry,
/// nothing changes; if it fails afterwards, the attempt is already on record.
/// </summary>
internal sealed class AuditFilter(AuditRecorder recorder, PolicyCatalogue catalogue) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var action = http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>()
            ?? throw new InvalidOperationException($"The route {http.Request.Path} declares no audit action; call .Audited(...) on it.");
        var caller = http.RequestServices.GetRequiredService<CurrentCaller>();
        var details = http.RequestServices.GetRequiredService<AuditDetails>();
        var route = new AuditEvent(caller.Actor, action.Action, RouteSubject(http), RoutePurpose(http), RequestId: RouteRequest(http));
        try
        {
            if (HttpMethods.IsGet(http.Request.Method) || HttpMethods.IsHead(http.Request.Method))
            {
                var read = await next(context);
                await recorder.RecordAsync(details.Complete(route), Outcome(read), http.RequestAborted);
                return read;
            }

            return await recorder.RecordChangeAsync(
                route,
                () => next(context).AsTask(),
                result => (details.Complete(route), Outcome(result)),
                http.RequestAborted);
        }
        catch (AuditUnavailableException)
        {
            return AuditText.Unavailable(http);
        }
    }

    /// <summary>The outcome of the status code the handler's result answers with.</summary>
    private static string Outcome(object? result)
    {
        var inner = result is INestedHttpResult nested ? nested.Result : result;
        return AuditOutcomes.FromStatus(inner is IStatusCodeHttpResult { StatusCode: { } code } ? code : StatusCodes.Status200OK);
    }

    /// <summary>Only well-formed ids go into the trail, so path tricks and junk never become audit content.</summary>
    private static string? RouteSubject(HttpContext http) =>
        http.Request.RouteValues["subjectId"] is string id && SubjectId.IsWellFormed(id) ? id : null;

    /// <summary>The data-subject request a route acts on, so every entry made for it names it (GDPR Art. 12(3): proof of the answer).</summary>
    private static string? RouteRequest(HttpContext http) =>
        http.Request.RouteValues["requestId"] is string id && Guid.TryParseExact(id, "D", out var parsed) && parsed.ToString("D") == id ? id : null;

    private string? RoutePurpose(HttpContext http)
    {
        var purpose = http.Request.RouteValues["purposeId"] as string ?? http.Request.Query["purpose"].ToString();
        return catalogue.Purposes.ContainsKey(purpose) ? purpose : null;
    }
}
