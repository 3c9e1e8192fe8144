using System.Collections.Concurrent;
using DataVault.Vault.Clients;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DataVault.Api.Tokens;

/// <summary>
/// A client may ask only for the scopes it is registered for (<c>invalid_scope</c>, RFC 6749 §5.2, not
/// OpenIddict's <c>invalid_request</c>), and for <c>offline_access</c> (a refresh token) only in the
/// authorization code flow. Checked after the client authenticated, so an unauthenticated caller
/// learns nothing about a client's scopes; read from the registry, so a scope removed a moment ago is refused.
/// </summary>
internal sealed class ValidateClientScopes(ClientRegistry clients) :
    IOpenIddictServerHandler<ValidateTokenRequestContext>,
    IOpenIddictServerHandler<ValidateAuthorizationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor TokenRequest { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenRequestContext>()
        .UseSingletonHandler<ValidateClientScopes>()
        .SetOrder(OpenIddictServerHandlers.Exchange.ValidateAuthentication.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor AuthorizationRequest { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateAuthorizationRequestContext>()
        .UseSingletonHandler<ValidateClientScopes>()
        .SetOrder(OpenIddictServerHandlers.Authentication.ValidateScopes.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(context, context.ClientId, context.Request.GetScopes(), allowOfflineAccess: !context.Request.IsClientCredentialsGrantType());
        return ValueTask.CompletedTask;
    }

    public ValueTask HandleAsync(ValidateAuthorizationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        Validate(context, context.ClientId, context.Request.GetScopes(), allowOfflineAccess: true);
        return ValueTask.CompletedTask;
    }

    private void Validate(BaseValidatingContext context, string? clientId, IEnumerable<string> requested, bool allowOfflineAccess)
    {
        var granted = clientId is null ? null : clients.Find(clientId)?.Scopes;
        if (requested.Any(scope => !(granted?.Contains(scope, StringComparer.Ordinal) == true || (allowOfflineAccess && scope == OAuth.Scopes.OfflineAccess))))
        {
            context.Reject(OAuth.Errors.InvalidScope, "A requested scope is not granted to this client.");
        }
    }
}

/// <summary>
/// A secret presented with an unknown (or disabled) client id is checked against a decoy hash, so the
/// time an answer takes does not tell which client ids exist. The lookup is the one OpenIddict makes
/// next anyway (the request's scope caches it).
/// </summary>
internal sealed class EqualiseUnknownClientCost(IOpenIddictApplicationManager applications) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseScopedHandler<EqualiseUnknownClientCost>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientId.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.ClientId)
            && !string.IsNullOrEmpty(context.ClientSecret)
            && await applications.FindByClientIdAsync(context.ClientId, context.CancellationToken) is null)
        {
            ClientAuthentication.CheckSecretOfUnknownClient(context.ClientSecret);
        }
    }
}

/// <summary>
/// A client assertion (private_key_jwt, RFC 7523 §3) is accepted once: OpenIddict checks its signature,
/// issuer, audience and expiry, but not whether it was used before. Each needs a <c>jti</c> and may live
/// at most five minutes, and its <c>(iss, jti)</c> is remembered until it expires, so a captured assertion
/// cannot be replayed and the memory this takes stays bounded.
/// </summary>
internal sealed class RejectReplayedClientAssertions(ClientAssertionReplayCache seen, TimeProvider time) : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    /// <summary>The longest an assertion may be valid for.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromMinutes(5);

    /// <summary>How far the client's clock may be behind: an assertion is accepted this long past its expiry (OpenIddict's default is five minutes).</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .AddFilter<OpenIddictServerHandlerFilters.RequireClientAssertionPrincipal>()
        .UseSingletonHandler<RejectReplayedClientAssertions>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientAssertionIssuer.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var assertion = context.ClientAssertionPrincipal!;
        var issuer = assertion.GetClaim(OAuth.Claims.Issuer);
        var id = assertion.GetClaim(OAuth.Claims.JwtId);
        var expires = assertion.GetExpirationDate();
        var now = time.GetUtcNow();
        if (string.IsNullOrEmpty(issuer) || string.IsNullOrEmpty(id) || expires is not { } end)
        {
            context.Reject(OAuth.Errors.InvalidClient, "The client assertion must carry a jti claim.");
        }
        else if (end > now + MaxLifetime)
        {
            context.Reject(OAuth.Errors.InvalidClient, "The client assertion must expire within five minutes.");
        }
        else if (!seen.TryUse(issuer, id, end + ClockSkew, now))
        {
            context.Reject(OAuth.Errors.InvalidClient, "The client assertion was used before.");
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>
/// A client assertion that fails any check is a failed client authentication, answered <c>invalid_client</c>
/// (RFC 7523 §3.2, with 401 as RFC 6749 §5.2 allows). OpenIddict says so for most checks, but reports an
/// assertion naming another audience (e.g. the token endpoint instead of the issuer) with the resource
/// server's <c>invalid_token</c> (RFC 6750), which is no error of the token, revocation or introspection
/// endpoints. Corrected before the error is written, so its status and <c>WWW-Authenticate</c> follow.
/// </summary>
internal sealed class AssertionFailuresAreInvalidClient : IOpenIddictServerHandler<ProcessErrorContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessErrorContext>()
        .UseSingletonHandler<AssertionFailuresAreInvalidClient>()
        .SetOrder(OpenIddictServerHandlers.AttachErrorParameters.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessErrorContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.Error == OAuth.Errors.InvalidToken && !string.IsNullOrEmpty(context.Request?.ClientAssertion))
        {
            context.Error = OAuth.Errors.InvalidClient;
        }

        return ValueTask.CompletedTask;
    }
}

/// <summary>The <c>(iss, jti)</c> of the client assertions accepted in the last five minutes, in this process.</summary>
internal sealed class ClientAssertionReplayCache
{
    private readonly ConcurrentDictionary<(string Issuer, string Id), DateTimeOffset> _used = new();
    private int _added;

    /// <summary>True the first time an assertion is presented before it can no longer be accepted (<paramref name="expires"/>); false for every later time.</summary>
    public bool TryUse(string issuer, string id, DateTimeOffset expires, DateTimeOffset now)
    {
        if (Interlocked.Increment(ref _added) % 256 == 0)
        {
            foreach (var (key, end) in _used)
            {
                if (end <= now)
                {
                    _used.TryRemove(key, out _);
                }
            }
        }

        return _used.TryAdd((issuer, id), expires);
    }
}

/// <summary>
/// Revoking a refresh token revokes every token of the same grant, the access tokens issued with it
/// included (RFC 7009 §2.1: SHOULD); OpenIddict revokes only the token it is given. The agent's consent
/// stays, so the CRM can ask again.
/// </summary>
internal sealed class RevokeTheWholeGrant(IOpenIddictTokenManager tokens) : IOpenIddictServerHandler<HandleRevocationRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
        .UseScopedHandler<RevokeTheWholeGrant>()
        .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(HandleRevocationRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (context.GenericTokenPrincipal is { } token
            && token.GetTokenType() == OAuth.TokenTypeIdentifiers.RefreshToken
            && token.GetAuthorizationId() is { } authorizationId)
        {
            await tokens.RevokeByAuthorizationIdAsync(authorizationId, context.CancellationToken);
        }
    }
}
