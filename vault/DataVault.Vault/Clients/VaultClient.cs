using OpenIddict.EntityFrameworkCore.Models;

namespace DataVault.Vault.Clients;

/// <summary>
/// Row of <c>clients</c>: an integrating system as the vault registers it (scopes, purposes, when it
/// was disabled) and, in the same row, OpenIddict's application (client type, secret hash, public
/// keys, redirect URIs), so the token service authenticates the clients the vault knows, by the same
/// ids and secrets, and its tokens and authorizations refer to them. <c>client_id</c> is a generated
/// column equal to <c>id</c>: EF Core cannot map two properties onto one column of one entity.
/// </summary>
internal sealed class VaultClient : OpenIddictEntityFrameworkCoreApplication<string, VaultAuthorization, VaultToken>
{
    /// <summary>Space-separated OAuth scopes the client may ask for.</summary>
    public string Scopes { get; set; } = string.Empty;

    /// <summary>Space-separated purpose ids the client may read for.</summary>
    public string AllowedPurposes { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>When the secret or the public key set was last replaced.</summary>
    public DateTimeOffset SecretRotatedAt { get; set; }

    public DateTimeOffset? DisabledAt { get; set; }
}

/// <summary>OpenIddict's authorization: a staff member's consent to a client (authorization code flow).</summary>
internal sealed class VaultAuthorization : OpenIddictEntityFrameworkCoreAuthorization<string, VaultClient, VaultToken>;

/// <summary>OpenIddict's token entry: one per access token, refresh token and authorization code issued.</summary>
internal sealed class VaultToken : OpenIddictEntityFrameworkCoreToken<string, VaultClient, VaultAuthorization>;

/// <summary>OpenIddict's scope entity; scopes are registered in code, so its table stays empty.</summary>
internal sealed class VaultScope : OpenIddictEntityFrameworkCoreScope<string>;
