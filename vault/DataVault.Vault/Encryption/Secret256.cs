using System.Security.Cryptography;

namespace DataVault.Vault.Encryption;

/// <summary>
/// 256 bits of secret in memory: a data key, the token of a one-time link. The bytes stay inside the derived type,
/// which decides what may see them; new ones come from the system's cryptographic random number generator; and
/// <see cref="ToString"/> hides them, so a secret cannot end up in a log by accident.
/// </summary>
internal abstract class Secret256
{
    public const int SizeInBytes = 32;

    private readonly byte[] _bytes;

    private protected Secret256(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != SizeInBytes)
        {
            throw new CryptographicException("A secret of this kind must be 256 bits.");
        }

        _bytes = bytes;
    }

    private protected ReadOnlySpan<byte> Secret => _bytes;

    private protected static byte[] NewSecret() => RandomNumberGenerator.GetBytes(SizeInBytes);

    public sealed override string ToString() => $"{GetType().Name}(***)";
}
