using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Policies;
using DataVault.Portal;
using DataVault.Vault;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Http.HttpResults;

namespace DataVault.Api.Endpoints;

/// <summary>Where the vault sent an invitation link; the link itself never leaves the vault except by that e-mail.</summary>
/// <param name="SentTo">The subject's e-mail address on record that the link was sent to, masked (<c>a***@example.com</c>).</param>
/// <param name="ExpiresAt">After this instant the link no longer works.</param>
internal sealed record InvitationAccepted(string SentTo, DateTimeOffset ExpiresAt);

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
            .RequireScope(Scopes.SubjectsInvite)
            .WithSummary("E-mail the subject an invitation to the privacy portal")
            .WithDescription("The vault e-mails a one-time link to the subject's own e-mail address on record and answers 202 with that address masked (`a***@example.com`) and the link's expiry; the link is never returned. Opening it lets the customer choose a password; the account signs in with the address the link was sent to, and the link stops working if that address changes. It expires (default 7 days) and works once; asking again revokes the subject's earlier unused links. Needs the `subjects.invite` scope and at least one allowed purpose whose fields include `email` (403 otherwise, since the vault uses the subject's address on the client's behalf). An unknown id is 404, an erased subject 410; a subject that already has an account, or has no e-mail address on record, is 409 (an officer can invite the latter at the portal desk after checking their identity).")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone);

        return group;
    }

    internal static async Task<Results<Accepted<InvitationAccepted>, ProblemHttpResult>> CreateInvitation(
        string subjectId, InvitationService invitations, PolicyCatalogue catalogue, PublicOrigin origin, CurrentCaller caller, AuditDetails audit, CancellationToken cancellationToken)
    {
        // The vault reads the subject's address to send the link; only a client that may process e-mail
        // addresses for some purpose may have it do so (GDPR Art. 5(1)(b), purpose limitation).
        if (!caller.RequiredClient.AllowedPurposes.Any(p => catalogue.Purposes.TryGetValue(p, out var purpose) && purpose.Fields.Contains(InvitationService.EmailField, StringComparer.Ordinal)))
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "No purpose for e-mail addresses",
                detail: "Inviting a subject e-mails its address on record; this client is not registered for any purpose whose fields include email.");
        }

        audit.Fields = InvitationService.EmailField;
        var result = await invitations.InviteAsync(
            subjectId, caller.RequiredClient.Id, identityEvidence: null, PortalLinks.ActivationPage(origin), cancellationToken);
        switch (result.Outcome)
        {
            case InvitationOutcome.Created:
                var invitation = result.Invitation!;
                return TypedResults.Accepted((string?)null, new InvitationAccepted(invitation.RecipientMask, invitation.ExpiresAt));
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
            case InvitationOutcome.NoEmailOnRecord:
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "No e-mail address on record",
                    detail: "The vault sends the invitation link only to the subject's own e-mail address on record, and this subject has none. Record it first (PATCH the subject's email field), or have an officer invite the customer at the portal desk after checking their identity.");
            default:
                return Problems.NotFound();
        }
    }
}
