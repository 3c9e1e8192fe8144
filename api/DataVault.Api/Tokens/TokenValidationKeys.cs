using System.Collections.Concurrent;
using System.Security.Cryptography;
using DataVault.Vault.Signing;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tokens;

/// <summary>
/// The published signing keys as <see cref="SecurityKey"/>s for token validation, built once per key id
/// and listed once per change of the published set, so validating a token creates no key objects.
/// </summary>
internal sealed class TokenValidationKeys(SigningKeyStore store) : IDisposable
{
    private readonly ConcurrentDictionary<string, ECDsaSecurityKey> _keys = new(StringComparer.Ordinal);
    private volatile Listed? _listed;

    /// <summary>Every key published now (the store re-reads them at most every 30 seconds).</summary>
    public IReadOnlyList<SecurityKey> Published()
    {
        var published = store.GetPublishedKeys();
        var listed = _listed;
        if (listed is not null && ReferenceEquals(listed.Source, published))
        {
            return listed.Keys;
        }

        var keys = published
            .Select(key => (SecurityKey)_keys.GetOrAdd(key.KeyId, static (id, k) => new ECDsaSecurityKey(ECDsa.Create(k.PublicKey)) { KeyId = id }, key))
            .ToList();
        _listed = new Listed(published, keys);
        return keys;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.ECDsa.Dispose();
        }
    }

    private sealed record Listed(IReadOnlyList<PublishedSigningKey> Source, IReadOnlyList<SecurityKey> Keys);
}
