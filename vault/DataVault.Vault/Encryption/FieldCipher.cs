using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Encryption;

/// <summary>
/// AES-256-GCM envelope for one field version:
/// <c>[format 0x01][nonce 12][tag 16][ciphertext]</c>. The associated data binds the ciphertext to
/// <c>subjectId|field|version</c>, so a ciphertext copied to another subject, field or version fails
/// authentication instead of decrypting (NIST SP 800-38D; random 96-bit nonces under a key that
/// encrypts far fewer than 2^32 messages).
/// </summary>
internal static class FieldCipher
{
    private const byte FormatV1 = 0x01;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    public static byte[] Encrypt(DataKey key, string subjectId, string field, int version, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(key);
        var envelope = new byte[HeaderSize + plaintext.Length];
        envelope[0] = FormatV1;
        var nonce = envelope.AsSpan(1, NonceSize);
        var tag = envelope.AsSpan(1 + NonceSize, TagSize);
        var ciphertext = envelope.AsSpan(HeaderSize);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData(subjectId, field, version));
        return envelope;
    }

    public static byte[] Decrypt(DataKey key, string subjectId, string field, int version, ReadOnlySpan<byte> envelope)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (envelope.Length < HeaderSize || envelope[0] != FormatV1)
        {
            throw new CryptographicException("Unknown field envelope format.");
        }

        var plaintext = new byte[envelope.Length - HeaderSize];
        using var aes = new AesGcm(key.Bytes, TagSize);
        aes.Decrypt(
            envelope.Slice(1, NonceSize),
            envelope[HeaderSize..],
            envelope.Slice(1 + NonceSize, TagSize),
            plaintext,
            AssociatedData(subjectId, field, version));
        return plaintext;
    }

    private static byte[] AssociatedData(string subjectId, string field, int version)
    {
        // Length-prefixed parts: "a|bc" and "ab|c" must not produce the same associated data.
        var subject = Encoding.UTF8.GetBytes(subjectId);
        var name = Encoding.UTF8.GetBytes(field);
        var data = new byte[4 + subject.Length + 4 + name.Length + 4];
        var span = data.AsSpan();
        BinaryPrimitives.WriteInt32BigEndian(span, subject.Length);
        subject.CopyTo(span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span[(4 + subject.Length)..], name.Length);
        name.CopyTo(span[(8 + subject.Length)..]);
        BinaryPrimitives.WriteInt32BigEndian(span[(8 + subject.Length + name.Length)..], version);
        return data;
    }
}
