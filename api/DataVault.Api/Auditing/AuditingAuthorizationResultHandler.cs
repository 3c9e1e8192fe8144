using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
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
internal sealed class AuditingAuthorizationResultHandler(IAuditTrail trail) : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(authorizeResult);
        if (authorizeResult.Forbidden && context.Items.TryGetValue(typeof(Vault.Clients.ClientInfo), out var client) && client is Vault.Clients.ClientInfo info)
        {
            var action = context.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>()?.Action ?? AuditActions.AccessDenied;
            var subject = context.Request.RouteValues["subjectId"] is string id && SubjectId.IsWellFormed(id) ? id : null;
            try
            {
                await trail.WriteAsync(
                    new AuditRecord(AuditActors.Client, info.Id, action, AuditOutcomes.Denied, subject, TraceId: context.TraceIdentifier, OnBehalfOf: context.StaffId()),
                    context.RequestAborted);
            }
            catch (AuditUnavailableException)
            {
                // The request is refused regardless; the writer has logged why the store failed.
            }
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
