using System.Security.Cryptography;
using DataVault.Vault;
using DataVault.Vault.Clients;
using DataVault.Vault.Signing;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tokens;

/// <summary>An issued access token and what it grants.</summary>
internal sealed record IssuedAccessToken(string Token, TimeSpan Lifetime, IReadOnlyList<string> Scopes)
{
    public override string ToString() => $"IssuedAccessToken {{ Token = ***, Lifetime = {Lifetime} }}";
}

/// <summary>
/// Creates access tokens in the JWT profile of RFC 9068: <c>typ</c> <c>at+jwt</c>, ES256 with a
/// <c>kid</c>, and the claims <c>iss</c>, <c>sub</c>, <c>aud</c>, <c>exp</c>, <c>iat</c>, <c>nbf</c>,
/// <c>jti</c>, <c>client_id</c> and <c>scope</c>.
/// </summary>
internal sealed class AccessTokenIssuer(SigningKeyStore keys, PublicOrigin origin, IOptions<TokenServiceOptions> options, TimeProvider time)
{
    public const string TokenType = "at+jwt";

    private static readonly JsonWebTokenHandler Handler = new() { SetDefaultTimesOnTokenCreation = false };

    /// <summary>A token of this service: issued by its public origin, for its audience.</summary>
    public async Task<IssuedAccessToken> IssueAsync(ClientInfo client, IReadOnlyList<string> scopes, CancellationToken cancellationToken) =>
        await IssueAsync(origin.Url, options.Value.Audience, client.Id, scopes, cancellationToken);

    /// <summary>Issues for an explicit issuer and audience; the host uses its own, tests use this to mint wrong ones.</summary>
    internal async Task<IssuedAccessToken> IssueAsync(string issuer, string audience, string clientId, IReadOnlyList<string> scopes, CancellationToken cancellationToken)
    {
        var key = await keys.GetActiveKeyAsync(cancellationToken);
        using var signer = key.CreateSigner();
        var now = time.GetUtcNow();
        var lifetime = options.Value.AccessTokenLifetime;
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            TokenType = TokenType,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(signer) { KeyId = key.KeyId }, SecurityAlgorithms.EcdsaSha256)
            {
                // Each token gets a fresh signer; caching a provider for a disposed key would fail later.
                CryptoProviderFactory = new CryptoProviderFactory { CacheSignatureProviders = false },
            },
            Claims = new Dictionary<string, object>
            {
                [JwtRegisteredClaimNames.Sub] = clientId,
                [JwtRegisteredClaimNames.Jti] = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
                ["client_id"] = clientId,
                ["scope"] = string.Join(' ', scopes),
            },
        };
        return new IssuedAccessToken(Handler.CreateToken(descriptor), lifetime, scopes);
    }
}
