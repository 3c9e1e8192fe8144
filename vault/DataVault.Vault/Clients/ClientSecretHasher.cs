using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Clients;

/// <summary>
/// Client secrets are 256-bit random values shown once; only a salted PBKDF2-HMAC-SHA256 hash is
/// stored (NIST SP 800-132), in the versioned form <c>pbkdf2-sha256$iterations$salt$hash</c>, and
/// compared in constant time.
/// </summary>
internal static class ClientSecretHasher
{
    private const string Prefix = "pbkdf2-sha256";
    private const int SaltSize = 16;
    private const int HashSize = 32;

    /// <summary>
    /// The secrets are random, not chosen by people, so the iteration count guards against a stolen
    /// table rather than weak secrets; it is kept moderate because the token endpoint pays it per request.
    /// </summary>
    public const int Iterations = 100_000;

    // Computed once: a secret presented with an unknown client id is checked against this, so response
    // times do not reveal which client ids exist.
    private static readonly Lazy<string> Decoy = new(() => Hash(NewSecret()));

    /// <summary>A new secret: 32 random bytes, base64url, 43 characters.</summary>
    public static string NewSecret() => Encryption.Base64Url.Encode(RandomNumberGenerator.GetBytes(32));

    public static string Hash(string secret)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), salt, Iterations, HashAlgorithmName.SHA256, HashSize);
        return string.Join('$', Prefix, Iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Spends what checking a secret costs, against a hash no secret matches; always false.</summary>
    public static bool VerifyDecoy(string secret) => Verify(secret, Decoy.Value);

    public static bool Verify(string secret, string stored)
    {
        var parts = stored.Split('$');
        if (parts.Length != 4 || parts[0] != Prefix || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations))
        {
            return false;
        }

        var expected = Convert.FromBase64String(parts[3]);
        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(secret), Convert.FromBase64String(parts[2]), iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
