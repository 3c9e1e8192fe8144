using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace DataVault.Api.Auditing;

/// <summary>
/// Records refused accesses of authenticated callers (a token without the route's scope): the route's
/// action with the outcome <c>denied</c>. Nothing is released either way, so a failing audit store does not change the 403.
/// Requests without a valid token are not recorded: anyone can send them, and recording them would let
/// anonymous traffic fill the trail.
/// </summary>
internal sealed class AuditingAuthorizationResultHandler(AuditRecorder recorder) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        var caller = context.RequestServices.GetRequiredService<CurrentCaller>();
        if (authorizeResult.Forbidden && caller.IsAuthenticated)
        {
            var action = context.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>()?.Action ?? AuditActions.AccessDenied;
            var subject = context.Request.RouteValues["subjectId"] is string id && SubjectId.IsWellFormed(id) ? id : null;

            // The request is refused regardless; the writer has logged why the store failed, if it did.
            await recorder.TryRecordAsync(new AuditEvent(caller.Actor, action, subject), AuditOutcomes.Denied, context.RequestAborted);
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
