using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Portal;
using DataVault.Vault;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>The activation link a client hands to its customer for the privacy portal.</summary>
/// <param name="ActivationUrl">Opens the portal page where the customer chooses a sign-in address and password. Works once.</param>
/// <param name="ExpiresAt">After this instant the link no longer works.</param>
internal sealed record InvitationResponse(string ActivationUrl, DateTimeOffset ExpiresAt);

/// <summary>Routes of portal invitations, a sub-resource of a subject.</summary>
internal static class InvitationEndpoints
{
    public static RouteGroupBuilder MapInvitationEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1/subjects/{subjectId}/invitations")
            .WithTags("Subjects")
            .RequireAuthorization(AccessControlExtensions.ApiPolicy)
            .AddEndpointFilter<AuditFilter>();

        group.MapPost("/", CreateInvitation)
            .WithName("CreateInvitation")
            .Audited(AuditActions.InvitationCreate)
            .RequireScope(Scopes.SubjectsWrite)
            .WithSummary("Invite the subject to the privacy portal")
            .WithDescription("Returns a one-time link for the client to hand to its customer: opening it lets the customer choose a sign-in e-mail address and password, and links the new portal account to this subject. The link expires (default 7 days) and works once; asking again revokes the subject's earlier unused links. The token in it is stored only as a hash, so it cannot be shown again. An unknown id is 404, an erased subject 410, and a subject that already has an account 409.")
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);

        return group;
    }

    internal static async Task<Results<Created<InvitationResponse>, ProblemHttpResult>> CreateInvitation(
        string subjectId, InvitationService invitations, PublicOrigin origin, HttpContext context, CancellationToken cancellationToken)
    {
        var result = await invitations.CreateAsync(subjectId, context.User.ClientId() ?? "unknown", cancellationToken);
        switch (result.Outcome)
        {
            case InvitationOutcome.Created:
                // The body carries a bearer secret (the link): no cache may keep it (RFC 9111 §5.2.2.5).
                context.Response.Headers.CacheControl = "no-store";
                var invitation = result.Invitation!;
                return TypedResults.Created(
                    (string?)null,
                    new InvitationResponse(PortalLinks.Activation(origin, invitation.Token), invitation.ExpiresAt));
            case InvitationOutcome.SubjectErased:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status410Gone,
                    title: "Subject erased",
                    detail: "This subject was erased; its personal data no longer exists.");
            case InvitationOutcome.AccountExists:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Account exists",
                    detail: "This subject already has a portal account; the customer signs in with it.");
            default:
                return Problems.NotFound();
        }
    }
}
