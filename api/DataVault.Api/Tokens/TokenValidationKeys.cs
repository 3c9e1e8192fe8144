using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataVault.Vault.Signing;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tokens;

/// <summary>
/// The published signing keys as <see cref="SecurityKey"/>s for JwtBearer, built once per key id so
/// validating a token does not create a new ECDsa object each time.
/// </summary>
internal sealed class TokenValidationKeys(SigningKeyStore store) : IDisposable
{
    private readonly ConcurrentDictionary<string, ECDsaSecurityKey> _keys = new(StringComparer.Ordinal);

    public IEnumerable<SecurityKey> Resolve(string? keyId)
    {
        var published = store.GetPublishedKeys();
        var result = new List<SecurityKey>(1);
        foreach (var key in published)
        {
            if (keyId is null || key.KeyId == keyId)
            {
                result.Add(_keys.GetOrAdd(key.KeyId, static (id, k) => new ECDsaSecurityKey(ECDsa.Create(k.PublicKey)) { KeyId = id }, key));
            }
        }

        return result;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.ECDsa.Dispose();
        }
    }
}
