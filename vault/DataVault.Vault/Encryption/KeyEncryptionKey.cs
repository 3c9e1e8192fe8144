using Microsoft.AspNetCore.DataProtection;

namespace DataVault.Vault.Encryption;

/// <summary>
/// The key-encryption key: ASP.NET Core Data Protection, with one purpose string per use so a
/// wrapped data key cannot be unwrapped as a blind-index key or for another subject or group.
/// </summary>
internal sealed class KeyEncryptionKey(IDataProtectionProvider provider)
{
    private const string DataKeyPurpose = "DataVault.Vault.DataKey.v1";
    private const string VaultSecretPurpose = "DataVault.Vault.Secret.v1";
    private const string HealthPurpose = "DataVault.Vault.Health.v1";

    private readonly IDataProtector _dataKeys = provider.CreateProtector(DataKeyPurpose);
    private readonly IDataProtector _secrets = provider.CreateProtector(VaultSecretPurpose);
    private readonly IDataProtector _health = provider.CreateProtector(HealthPurpose);

    public byte[] Wrap(DataKey key, string subjectId, string keyGroup)
    {
        ArgumentNullException.ThrowIfNull(key);
        return _dataKeys.CreateProtector(subjectId, keyGroup).Protect(key.Bytes.ToArray());
    }

    public DataKey Unwrap(byte[] wrapped, string subjectId, string keyGroup) =>
        DataKey.FromUnwrapped(_dataKeys.CreateProtector(subjectId, keyGroup).Unprotect(wrapped));

    public byte[] WrapSecret(string name, byte[] secret) => _secrets.CreateProtector(name).Protect(secret);

    public byte[] UnwrapSecret(string name, byte[] wrapped) => _secrets.CreateProtector(name).Unprotect(wrapped);

    /// <summary>Protects and unprotects a fixed probe, proving the key ring is readable and usable.</summary>
    public bool Probe()
    {
        byte[] probe = [0x44, 0x56];
        return _health.Unprotect(_health.Protect(probe)).AsSpan().SequenceEqual(probe);
    }
}
