namespace DataVault.Vault.Encryption;

/// <summary>
/// A 256-bit AES data key (DEK) in memory. The bytes never leave this type except to the cipher and the wrapper.
/// </summary>
internal sealed class DataKey : Secret256
{
    private DataKey(byte[] bytes)
        : base(bytes)
    {
    }

    public static DataKey Generate() => new(NewSecret());

    /// <summary>A data key just unwrapped; a wrong length is refused as a broken key (<see cref="System.Security.Cryptography.CryptographicException"/>).</summary>
    public static DataKey FromUnwrapped(byte[] bytes) => new(bytes);

    internal ReadOnlySpan<byte> Bytes => Secret;
}
