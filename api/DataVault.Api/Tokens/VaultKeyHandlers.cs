using System.Security.Cryptography;
using DataVault.Vault.Clients;
using DataVault.Vault.Signing;
using Microsoft.IdentityModel.Tokens;
using OpenIddict.Server;
using OpenIddict.Validation;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DataVault.Api.Tokens;

/// <summary>
/// The vault's signing keys as OpenIddict uses them. <see cref="SigningKeyStore"/> stays the one source of
/// ES256 keys, rotated with overlap (a successor is published before it signs, a retired key stays
/// published after), so access tokens, consent receipts and audit checkpoints verify against the same
/// JWKS. OpenIddict reads its own key options once at start; these handlers hand it the store's keys at
/// every use instead, and the key OpenIddict is configured with (a placeholder it insists on) signs,
/// verifies and publishes nothing.
/// </summary>
internal sealed class VaultSigningCredentials(SigningKeyStore store) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly List<ECDsa> _created = [];
    private (string KeyId, ECDsaSecurityKey Key)? _current;

    /// <summary>The credentials of the key that signs now; one key object per key id, kept until the service stops.</summary>
    public async Task<SigningCredentials> GetAsync(CancellationToken cancellationToken)
    {
        var active = await store.GetActiveKeyAsync(cancellationToken);
        lock (_gate)
        {
            if (_current is not { } current || current.KeyId != active.KeyId)
            {
                // The previous key may still be signing on another thread: it is disposed only with the service.
                var signer = active.CreateSigner();
                _created.Add(signer);
                current = (active.KeyId, new ECDsaSecurityKey(signer) { KeyId = active.KeyId });
                _current = current;
            }

            return new SigningCredentials(current.Key, SecurityAlgorithms.EcdsaSha256);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var signer in _created)
            {
                signer.Dispose();
            }
        }
    }
}

/// <summary>Signs every access token with the vault's active key (RFC 9068: <c>at+jwt</c>, ES256, with its <c>kid</c>).</summary>
internal sealed class SignWithVaultKey(VaultSigningCredentials credentials) : IOpenIddictServerHandler<GenerateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<GenerateTokenContext>()
        .UseSingletonHandler<SignWithVaultKey>()
        .SetOrder(OpenIddictServerHandlers.Protection.AttachSecurityCredentials.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(GenerateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);

        // Codes and refresh tokens are Data Protection payloads; only access tokens are JWTs (no id tokens are issued).
        if (context.TokenType == OAuth.TokenTypeIdentifiers.AccessToken)
        {
            context.SigningCredentials = await credentials.GetAsync(context.CancellationToken);
        }
    }
}

/// <summary>The JWKS (RFC 7517) lists the vault's published keys, and nothing else.</summary>
internal sealed class PublishVaultKeys(SigningKeyStore store) : IOpenIddictServerHandler<HandleJsonWebKeySetRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleJsonWebKeySetRequestContext>()
        .UseSingletonHandler<PublishVaultKeys>()
        .SetOrder(OpenIddictServerHandlers.Discovery.AttachSigningKeys.Descriptor.Order)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public async ValueTask HandleAsync(HandleJsonWebKeySetRequestContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        foreach (var key in await store.GetPublishedKeysAsync(context.CancellationToken))
        {
            context.Keys.Add(new JsonWebKey(key.PublicJwk));
        }
    }
}

/// <summary>
/// The authorization server's own checks of access tokens (introspection, revocation) trust only the
/// vault's published keys; client assertions (private_key_jwt) only the client's registered keys, with
/// the algorithms listed in the metadata.
/// </summary>
internal sealed class ServerTrustsVaultKeys(TokenValidationKeys keys) : IOpenIddictServerHandler<ValidateTokenContext>
{
    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ValidateTokenContext>()
        .UseSingletonHandler<ServerTrustsVaultKeys>()
        .SetOrder(OpenIddictServerHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var parameters = context.TokenValidationParameters;
        if (context.ValidTokenTypes.Contains(OAuth.TokenTypeIdentifiers.Private.ClientAssertion))
        {
            parameters.ValidAlgorithms = ClientAuthentication.AssertionAlgorithms;
            parameters.ClockSkew = RejectReplayedClientAssertions.ClockSkew;
            return ValueTask.CompletedTask;
        }

        parameters.IssuerSigningKeys = keys.Published();
        parameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];
        return ValueTask.CompletedTask;
    }
}

/// <summary>The API trusts access tokens signed by the vault's published keys with ES256, and nothing else (replacing, never adding to, OpenIddict's own key list).</summary>
internal sealed class ValidationTrustsVaultKeys(TokenValidationKeys keys) : IOpenIddictValidationHandler<OpenIddictValidationEvents.ValidateTokenContext>
{
    public static OpenIddictValidationHandlerDescriptor Descriptor { get; } = OpenIddictValidationHandlerDescriptor.CreateBuilder<OpenIddictValidationEvents.ValidateTokenContext>()
        .UseSingletonHandler<ValidationTrustsVaultKeys>()
        .SetOrder(OpenIddictValidationHandlers.Protection.ResolveTokenValidationParameters.Descriptor.Order + 1)
        .SetType(OpenIddictValidationHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(OpenIddictValidationEvents.ValidateTokenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.TokenValidationParameters.IssuerSigningKeys = keys.Published();
        context.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256];
        return ValueTask.CompletedTask;
    }
}
