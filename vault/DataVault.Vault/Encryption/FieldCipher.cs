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

    /// <summary>Associated data up to this size (a UUID subject id and a field name need about 60 bytes) is built on the stack.</summary>
    private const int MaxStackAssociatedData = 256;

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
        using var cipher = CreateCipher(key);
        var plaintext = new byte[PlaintextLength(envelope)];
        Decrypt(cipher, subjectId, field, version, envelope, plaintext);
        return plaintext;
    }

    /// <summary>The cipher of one data key, for decrypting several of its fields with one key schedule; not thread-safe, dispose it after use.</summary>
    public static AesGcm CreateCipher(DataKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new AesGcm(key.Bytes, TagSize);
    }

    /// <summary>The length of the plaintext in <paramref name="envelope"/>; throws for an envelope of an unknown format.</summary>
    public static int PlaintextLength(ReadOnlySpan<byte> envelope) =>
        envelope.Length >= HeaderSize && envelope[0] == FormatV1
            ? envelope.Length - HeaderSize
            : throw new CryptographicException("Unknown field envelope format.");

    /// <summary>
    /// Decrypts <paramref name="envelope"/> into <paramref name="plaintext"/> (<see cref="PlaintextLength"/> bytes) with the
    /// cipher of the field's data key (<see cref="CreateCipher"/>); throws when it was not encrypted for this subject, field and version.
    /// </summary>
    public static void Decrypt(AesGcm cipher, string subjectId, string field, int version, ReadOnlySpan<byte> envelope, Span<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(cipher);
        var length = PlaintextLength(envelope);
        Span<byte> associated = stackalloc byte[MaxStackAssociatedData];
        var associatedLength = AssociatedDataLength(subjectId, field);
        associated = associatedLength <= MaxStackAssociatedData ? associated[..associatedLength] : new byte[associatedLength];
        WriteAssociatedData(associated, subjectId, field, version);
        cipher.Decrypt(
            envelope.Slice(1, NonceSize),
            envelope[HeaderSize..],
            envelope.Slice(1 + NonceSize, TagSize),
            plaintext[..length],
            associated);
    }

    private static byte[] AssociatedData(string subjectId, string field, int version)
    {
        var data = new byte[AssociatedDataLength(subjectId, field)];
        WriteAssociatedData(data, subjectId, field, version);
        return data;
    }

    private static int AssociatedDataLength(string subjectId, string field) =>
        4 + Encoding.UTF8.GetByteCount(subjectId) + 4 + Encoding.UTF8.GetByteCount(field) + 4;

    private static void WriteAssociatedData(Span<byte> span, string subjectId, string field, int version)
    {
        // Length-prefixed parts: "a|bc" and "ab|c" must not produce the same associated data.
        var subjectLength = Encoding.UTF8.GetBytes(subjectId, span[4..]);
        BinaryPrimitives.WriteInt32BigEndian(span, subjectLength);
        var rest = span[(4 + subjectLength)..];
        var fieldLength = Encoding.UTF8.GetBytes(field, rest[4..]);
        BinaryPrimitives.WriteInt32BigEndian(rest, fieldLength);
        BinaryPrimitives.WriteInt32BigEndian(rest[(4 + fieldLength)..], version);
    }
}
