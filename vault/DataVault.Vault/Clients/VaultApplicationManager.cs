using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenIddict.Abstractions;
using OpenIddict.Core;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace DataVault.Vault.Clients;

/// <summary>
/// OpenIddict's application manager over the vault's clients. Secrets keep the vault's PBKDF2 format
/// (<see cref="ClientSecretHasher"/>), so clients registered before the token service moved onto
/// OpenIddict keep their ids and secrets; a disabled client does not exist for the token service
/// (<c>invalid_client</c>); and what a client may do follows from how it is registered instead of a
/// stored permission list: every confidential client may use client credentials, and a client with
/// redirect URIs the authorization code flow (with PKCE) and refresh tokens.
/// </summary>
internal sealed class VaultApplicationManager(
    IOpenIddictApplicationCache<VaultClient> cache,
    ILogger<OpenIddictApplicationManager<VaultClient>> logger,
    IOptionsMonitor<OpenIddictCoreOptions> options,
    IOpenIddictApplicationStore<VaultClient> store) : OpenIddictApplicationManager<VaultClient>(cache, logger, options, store)
{
    private static readonly ImmutableArray<string> Always = [Permissions.Endpoints.Token, Permissions.Endpoints.Revocation, Permissions.Endpoints.Introspection];

    private static readonly ImmutableArray<string> CodeFlow =
        [Permissions.Endpoints.Authorization, Permissions.GrantTypes.AuthorizationCode, Permissions.GrantTypes.RefreshToken, Permissions.ResponseTypes.Code];

    public override async ValueTask<VaultClient?> FindByClientIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        await base.FindByClientIdAsync(identifier, cancellationToken) is { DisabledAt: null } client ? client : null;

    public override async ValueTask<VaultClient?> FindByIdAsync(string identifier, CancellationToken cancellationToken = default) =>
        await base.FindByIdAsync(identifier, cancellationToken) is { DisabledAt: null } client ? client : null;

    public override ValueTask<ImmutableArray<string>> GetPermissionsAsync(VaultClient application, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(application);
        var permissions = Always.ToBuilder();
        if (application.ClientType != ClientTypes.Public)
        {
            permissions.Add(Permissions.GrantTypes.ClientCredentials);
        }

        if (ClientCredentials.ReadRedirectUris(application.RedirectUris).Count > 0)
        {
            permissions.AddRange(CodeFlow);
        }

        return new(permissions.ToImmutable());
    }

    protected override ValueTask<string> ObfuscateClientSecretAsync(string secret, CancellationToken cancellationToken = default) =>
        new(ClientSecretHasher.Hash(secret));

    protected override ValueTask<bool> ValidateClientSecretAsync(string secret, string comparand, CancellationToken cancellationToken = default) =>
        new(ClientSecretHasher.Verify(secret, comparand));
}
