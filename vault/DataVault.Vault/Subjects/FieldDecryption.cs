using System.Text.Json;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Subjects;

internal static class FieldDecryption
{
    /// <summary>The decrypted value of one stored field version, or null when its key group was shredded.</summary>
    public static async Task<FieldSnapshot?> DecryptAsync(this DataKeyStore keys, FieldValueRecord version, CancellationToken cancellationToken)
    {
        var key = await keys.FindAsync(version.SubjectId, version.KeyGroup, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var plaintext = FieldCipher.Decrypt(key, version.SubjectId, version.Field, version.Version, version.Ciphertext);
        using var document = JsonDocument.Parse(plaintext);
        return new FieldSnapshot(version.Field, document.RootElement.Clone(), version.Version, version.CreatedAt);
    }
}
