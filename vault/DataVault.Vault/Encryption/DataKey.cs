using System.Security.Cryptography;

namespace DataVault.Vault.Encryption;

/// <summary>
/// A 256-bit AES data key (DEK) in memory. The bytes never leave this type except to the cipher
/// and the wrapper; <see cref="ToString"/> hides them so a key cannot end up in a log by accident.
/// </summary>
internal sealed class DataKey
{
    public const int SizeInBytes = 32;

    private readonly byte[] _bytes;

    private DataKey(byte[] bytes) => _bytes = bytes;

    public static DataKey Generate() => new(RandomNumberGenerator.GetBytes(SizeInBytes));

    public static DataKey FromUnwrapped(byte[] bytes)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        if (bytes.Length != SizeInBytes)
        {
            throw new CryptographicException("A data key must be 256 bits.");
        }

        return new DataKey(bytes);
    }

    internal ReadOnlySpan<byte> Bytes => _bytes;

    public override string ToString() => "DataKey(***)";
}
