using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Encryption;

/// <summary>
/// Keyed digests for exact-match lookup of searchable fields (e-mail, phone) without storing or
/// hashing the plain value: HMAC-SHA256 under a vault-wide key that is itself wrapped by the
/// key-encryption key. An unkeyed hash of an e-mail address is trivially reversed by guessing.
/// </summary>
internal sealed class BlindIndex
{
    private byte[]? _key;

    public bool IsReady => _key is not null;

    public void UseKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length != 32)
        {
            throw new CryptographicException("The blind-index key must be 256 bits.");
        }

        _key = key;
    }

    /// <summary>The digest of <paramref name="normalizedValue"/> for <paramref name="field"/>; the field name is mixed in so equal values of different fields differ.</summary>
    public byte[] Compute(string field, string normalizedValue)
    {
        var key = _key ?? throw new InvalidOperationException("The vault has not been initialized.");
        var input = Encoding.UTF8.GetBytes(field + "\u001f" + normalizedValue);
        return HMACSHA256.HashData(key, input);
    }
}
