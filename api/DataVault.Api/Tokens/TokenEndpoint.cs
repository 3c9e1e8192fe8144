using System.Security.Claims;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Abstractions;
using OpenIddict.Server.AspNetCore;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;

namespace DataVault.Api.Tokens;

/// <summary>
/// The token endpoint's decision (RFC 6749 §5), after OpenIddict has parsed the request and
/// authenticated the client: what the access token says, and the <c>token.issue</c> audit entry, which is
/// durable before any token leaves (otherwise the answer is 503 and no token).
/// </summary>
internal static class TokenEndpoint
{
    public static void MapTokenEndpoint(this IEndpointRouteBuilder app) =>
        app.MapPost("/connect/token", IssueAsync).AllowAnonymous().ExcludeFromDescription();

    private static async Task<IResult> IssueAsync(HttpContext http, ClientRegistry clients, IAuditTrail trail, IOptions<TokenServiceOptions> options)
    {
        var request = http.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("The token endpoint is reached only through OpenIddict.");

        // OpenIddict admits only the client credentials grant here, for a client it has just authenticated.
        var client = clients.Find(request.ClientId!) ?? throw new InvalidOperationException("An authenticated client is registered.");
        var requested = request.GetScopes();
        var identity = new ClaimsIdentity(TokenValidationParameters.DefaultAuthenticationType, OAuth.Claims.Name, OAuth.Claims.Role);
        identity.SetClaim(OAuth.Claims.Subject, client.Id);
        identity.SetScopes(requested.IsEmpty ? client.Scopes : requested);
        identity.SetResources(options.Value.Audience);
        identity.SetDestinations(_ => [OAuth.Destinations.AccessToken]);

        if (!await TokenServiceAuditing.TryWriteAsync(trail, http, new AuditRecord(AuditActors.Client, client.Id, AuditActions.TokenIssue, AuditOutcomes.Success)))
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
