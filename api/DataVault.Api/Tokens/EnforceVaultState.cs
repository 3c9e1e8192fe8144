using DataVault.Api.Authorization;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore;
using OpenIddict.Abstractions;
using OpenIddict.Validation;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Validation.OpenIddictValidationEvents;

namespace DataVault.Api.Tokens;

/// <summary>
/// After OpenIddict has checked an access token's signature, issuer, audience, type and lifetime: its
/// client must still be registered and enabled, and neither the token nor the grant it came from may be
/// revoked (RFC 7009), so rotating a secret, disabling a client or a staff account, or revoking a token
/// fails every earlier token at its next request. OpenIddict's own token-entry validation would look the
/// token up in the database on every request; <see cref="AccessTokenState"/> answers from memory, kept
/// current by the change counters. The client, as registered now, is what the request's scope and
/// purpose checks then use, and the agent a code-flow token names is who the audit trail records the
/// client acted for.
/// </summary>
internal sealed class EnforceVaultState(AccessTokenState state) : IOpenIddictValidationHandler<ProcessAuthenticationContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseSingletonHandler<EnforceVaultState>()
        .SetOrder(OpenIddictValidationHandlers.ValidateAccessToken.Descriptor.Order + 500)
        .SetType(OpenIddictValidationHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.AccessTokenPrincipal is not { } principal)
        {
            return ValueTask.CompletedTask;
        }

        // Every token this server issues has a token entry, and names its client.
        var clientId = principal.ClientId();
        var tokenId = principal.GetTokenId();
        var (client, revoked) = clientId is null || tokenId is null ? (null, true) : state.Check(clientId, tokenId, principal.GetAuthorizationId());
        if (revoked || client is not { IsEnabled: true })
        {
            context.Reject(OAuth.Errors.InvalidToken, "The access token has been revoked, or its client is no longer registered or enabled.");
            return ValueTask.CompletedTask;
        }

        var http = context.Transaction.GetHttpRequest()?.HttpContext ?? throw new InvalidOperationException("The API runs in ASP.NET Core.");
        http.SetClient(client, principal.GetClaim(TokenClaims.Staff));

        return ValueTask.CompletedTask;
    }
}
