using DataVault.Api.Hosting;
using DataVault.Vault;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using OpenIddict.Validation;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;

namespace DataVault.Api.Tokens;

/// <summary>
/// The built-in OAuth 2.0 authorization server on OpenIddict: the client credentials grant with a
/// secret (HTTP Basic or form) or a signed assertion (RFC 7523), revocation (RFC 7009), introspection
/// (RFC 7662), metadata (RFC 8414) and the JWKS; and OpenIddict's validation of the access tokens it
/// issues on the API. Access tokens are RFC 9068 JWTs signed ES256 by the vault's own rotating keys.
/// Not used when an external identity provider issues the tokens.
/// </summary>
internal static class TokenServiceExtensions
{
    /// <summary>The log categories of OpenIddict: below Debug (at Trace) they write whole tokens and claims.</summary>
    private const string OpenIddictLogs = "OpenIddict";

    public static IServiceCollection AddTokenService(this IServiceCollection services)
    {
        services.AddSingleton<VaultSigningCredentials>();
        services.AddSingleton<TokenValidationKeys>();
        services.AddSingleton<ClientAssertionReplayCache>();
        services.AddSingleton<TokenServiceMetrics>();
        services.AddSingleton<FailedTokenRequests>();
        services.AddHostedService<TokenFailureAudit>();
        services.AddTokenEndpointLimits();
        services.AddLogFloor(OpenIddictLogs, LogLevel.Debug);

        services.AddOpenIddict()
            .AddServer(server =>
            {
                server.SetTokenEndpointUris("connect/token")
                    .SetAuthorizationEndpointUris("connect/authorize")
                    .SetRevocationEndpointUris("connect/revoke")
                    .SetIntrospectionEndpointUris("connect/introspect")
                    .SetJsonWebKeySetEndpointUris(".well-known/jwks.json");
                server.AllowClientCredentialsFlow();

                // Staff using a CRM's screens: the code flow with PKCE (S256 only, below) and rotating refresh tokens.
                server.AllowAuthorizationCodeFlow().AllowRefreshTokenFlow().RequireProofKeyForCodeExchange();
                server.RegisterScopes([.. Vault.Clients.Scopes.All, OAuth.Scopes.OfflineAccess]);

                // Scopes are checked against the client's registration by ValidateClientScopes, which answers
                // invalid_scope as RFC 6749 §5.2 asks, instead of a stored permission per scope.
                server.IgnoreScopePermissions();

                // Access tokens are signed JWTs (RFC 9068), not encrypted; authorization codes and refresh
                // tokens are Data Protection payloads under the vault's key ring, so no other key has to
                // persist. OpenIddict insists on a signing and an encryption key at start: these ephemeral
                // ones sign and encrypt nothing (SignWithVaultKey) and are published nowhere. A P-256 and
                // an AES key, not OpenIddict's default RSA-2048 pair: OpenIddict makes them on the first
                // request, and two RSA key generations (a random prime search, up to seconds of CPU on a
                // busy machine) would hold that request up for keys that are never used.
                server.DisableAccessTokenEncryption();
                server.AddEphemeralSigningKey(SecurityAlgorithms.EcdsaSha256).AddEphemeralEncryptionKey(SecurityAlgorithms.Aes256KW);
                server.UseDataProtection().PreferDefaultAccessTokenFormat();
                server.RemoveEventHandler(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor);

                server.AddEventHandler(SignWithVaultKey.Descriptor);
                server.AddEventHandler(PublishVaultKeys.Descriptor);
                server.AddEventHandler(ServerTrustsVaultKeys.Descriptor);
                server.AddEventHandler(ListOnlyWhatIsSupported.Descriptor);
                server.AddEventHandler(NameEndpointsAtThePublicOrigin.Descriptor);
                server.AddEventHandler(ValidateClientScopes.TokenRequest);
                server.AddEventHandler(ValidateClientScopes.AuthorizationRequest);
                server.AddEventHandler(RevokeTheWholeGrant.Descriptor);
                server.AddEventHandler(EqualiseUnknownClientCost.Descriptor);
                server.AddEventHandler(RejectReplayedClientAssertions.Descriptor);
                server.AddEventHandler(AssertionFailuresAreInvalidClient.Descriptor);
                server.AddEventHandler(NoteAuthenticatedClient.Descriptor);
                server.AddEventHandler(AuditTokenServiceAccess.Revocation);
                server.AddEventHandler(AuditTokenServiceAccess.Introspection);
                server.AddEventHandler(RecordTokenServiceAnswer.Token);
                server.AddEventHandler(RecordTokenServiceAnswer.Revocation);
                server.AddEventHandler(RecordTokenServiceAnswer.Introspection);

                // The consent page (portal, Connect/Authorize) and TokenEndpoint decide what tokens say.
                server.UseAspNetCore().EnableTokenEndpointPassthrough().EnableAuthorizationEndpointPassthrough();
            })
            .AddValidation(validation =>
            {
                validation.UseLocalServer();
                validation.UseAspNetCore()

                    // RFC 6750 allows a token in the body or the query string; URLs end up in logs, so only the header counts.
                    .DisableAccessTokenExtractionFromBodyForm()
                    .DisableAccessTokenExtractionFromQueryString();
                validation.AddEventHandler(ValidationTrustsVaultKeys.Descriptor);
                validation.AddEventHandler(EnforceVaultState.Descriptor);
            });

        services.AddOptions<OpenIddictServerOptions>().Configure<PublicOrigin, IOptions<TokenServiceOptions>>((server, origin, tokens) =>
        {
            // The issuer is the public origin, never a request's Host header. OpenIddict writes it as an
            // absolute URI, so with a trailing slash ("https://vault.example.com/").
            server.Issuer = origin.Uri;
            server.AccessTokenLifetime = tokens.Value.AccessTokenLifetime;
            server.RefreshTokenLifetime = tokens.Value.RefreshTokenLifetime;

            // OAuth only: no id tokens, so no openid scope. PKCE with S256 only (RFC 9700 §2.1.1: plain
            // protects nothing if the request is seen), and the code only in the redirect's query, since
            // the portal's pages run no script (form_post would be an auto-submitting page).
            server.Scopes.Remove(OAuth.Scopes.OpenId);
            server.CodeChallengeMethods.Remove(OAuth.CodeChallengeMethods.Plain);
            server.ResponseModes.Clear();
            server.ResponseModes.Add(OAuth.ResponseModes.Query);
        });
        services.AddOptions<OpenIddictServerAspNetCoreOptions>().Configure<PublicOrigin>((aspNetCore, origin) =>
        {
            // HTTPS is required exactly when the service is reached over HTTPS; behind a TLS-terminating
            // proxy, the proxy's X-Forwarded-Proto (ForwardedHeaders:KnownProxies) says so.
            aspNetCore.DisableTransportSecurityRequirement = !origin.IsHttps;
        });
        services.AddOptions<OpenIddictValidationOptions>().Configure<IOptions<TokenServiceOptions>>((validation, tokens) =>
            validation.Audiences.Add(tokens.Value.Audience));
        return services;
    }
}
