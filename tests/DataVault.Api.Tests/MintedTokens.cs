using System.Security.Cryptography;
using DataVault.Testing;
using DataVault.Vault.Signing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tests;

/// <summary>
/// Access tokens signed with the vault's own active key but otherwise wrong (another issuer, another
/// audience), as only someone holding the key could make them: what the API must still refuse.
/// </summary>
internal static class MintedTokens
{
    public static async Task<string> MintAsync(DataVaultApplication app, string issuer, string audience, string clientId, IEnumerable<string> scopes)
    {
        var key = await app.Services.GetRequiredService<SigningKeyStore>().GetActiveKeyAsync(CancellationToken.None);
        using var signer = key.CreateSigner();
        var now = DateTime.UtcNow;
        var token = new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddHours(1),
            TokenType = "at+jwt",
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signer) { KeyId = key.KeyId }, SecurityAlgorithms.EcdsaSha256)
            {
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
            Claims = new Dictionary<string, object>
            {
                ["sub"] = clientId,
                ["client_id"] = clientId,
                ["scope"] = string.Join(' ', scopes),
                ["jti"] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                ["oi_tkn_id"] = Guid.NewGuid().ToString(),
            },
        });
        app.Monitor.Remember(token);
        return token;
    }
}
