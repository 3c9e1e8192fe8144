using System.Collections.Immutable;
using System.Security.Claims;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;

namespace DataVault.Api.Tokens;

/// <summary>
/// The token endpoint's decision (RFC 6749 §5), after OpenIddict has parsed the request, authenticated the
/// client and, for a code or refresh token, checked it (PKCE verifier, redirect URI, rotation, replay):
/// what the access token says, and the <c>token.issue</c> audit entry, which is durable before any token
/// leaves (otherwise the answer is 503 and no token).
/// </summary>
internal static class TokenEndpoint
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/connect/token", IssueAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> IssueAsync(
        HttpContext http, ClientRegistry clients, UserManager<CustomerAccount> users, CurrentCaller caller, AuditRecorder recorder, IOptions<TokenServiceOptions> options)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The token endpoint is reached only through OpenIddict.");
        var client = clients.Find(request.ClientId!) ?? throw new InvalidOperationException("OpenIddict admits registered clients only.");
        var identity = new ClaimsIdentity(authenticationType: "DataVault.TokenService", OAuth.Claims.Name, OAuth.Claims.Role);
        string? staffId = null;
        if (request.IsClientCredentialsGrantType())
        {
            // The client acts on its own: it is the subject, with the scopes it asked for, or all of its own.
            var requested = request.GetScopes();
            identity.SetClaim(OAuth.Claims.Subject, client.Id);
            identity.SetScopes(requested.IsEmpty ? [.. client.Scopes] : requested);
        }
        else
        {
            // A code or a refresh token: the client acts for the agent who consented (the Connect/Authorize page).
            var granted = (await http.AuthenticateAsync(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme)).Principal
                ?? throw new InvalidOperationException("OpenIddict has validated the code or refresh token.");
            staffId = granted.GetClaim(OAuth.Claims.Subject);
            var agent = staffId is null ? null : await users.FindByIdAsync(staffId);
            if (agent is null || !await users.IsInRoleAsync(agent, AccountRoles.Agent) || await users.IsLockedOutAsync(agent))
            {
                return Refuse(OAuth.Errors.InvalidGrant, "The person this grant was given by can no longer let a system act for them.");
            }

            // Never more than the client may do now, even if a scope was removed since the agent consented.
            identity.SetClaim(OAuth.Claims.Subject, staffId);
            identity.SetClaim(TokenClaims.Staff, staffId);
            identity.SetScopes(granted.GetScopes().Where(scope => scope == OAuth.Scopes.OfflineAccess || client.Scopes.Contains(scope, StringComparer.Ordinal)).ToImmutableArray());
            identity.SetAuthorizationId(granted.GetAuthorizationId());
        }

        identity.SetResources(options.Value.Audience);
        identity.SetDestinations(_ => [OAuth.Destinations.AccessToken]);
        caller.SetClient(client, staffId);
        if (!await recorder.TryRecordAsync(new AuditEvent(caller.Actor, AuditActions.TokenIssue), AuditOutcomes.Success, http.RequestAborted))
        {
            return Refuse(OAuth.Errors.TemporarilyUnavailable, "The token service cannot record the request; retry later.");
        }

        return Results.SignIn(new ClaimsPrincipal(identity), properties: null, OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    private static IResult Refuse(string error, string description) => Results.Forbid(
        new AuthenticationProperties(new Dictionary<string, string?>
        {
            [OpenIddictServerAspNetCoreConstants.Properties.Error] = error,
            [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = description,
        }),
        [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
}
