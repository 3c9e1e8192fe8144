using System.Buffers;
using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Audit;

/// <summary>
/// The hash chain: <c>hash = SHA-256(canonical(entry) || previous hash)</c>. The canonical form is
/// fixed (big-endian sequence, then each field length-prefixed in UTF-8, -1 for null), so the same
/// entry always hashes the same and no two different entries share an encoding.
/// </summary>
internal static class AuditChain
{
    public const int HashSize = 32;

    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly byte[] Genesis = new byte[HashSize];

    public static string FormatTime(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    public static byte[] ComputeHash(long sequence, string occurredAt, AuditRecord record, ReadOnlySpan<byte> previousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(256);
        Span<byte> number = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(number, sequence);
        buffer.Write(number);
        Write(buffer, occurredAt);
        Write(buffer, record.ActorType);
        Write(buffer, record.ActorId);
        Write(buffer, record.Action);
        Write(buffer, record.SubjectId);
        Write(buffer, record.PurposeId);
        Write(buffer, record.Fields);
        Write(buffer, record.Withheld);
        Write(buffer, record.Outcome);
        Write(buffer, record.TraceId);
        buffer.Write(previousHash);
        return SHA256.HashData(buffer.WrittenSpan);
    }

    private static void Write(ArrayBufferWriter<byte> buffer, string? value)
    {
        var length = value is null ? -1 : Encoding.UTF8.GetByteCount(value);
        BinaryPrimitives.WriteInt32BigEndian(buffer.GetSpan(4), length);
        buffer.Advance(4);
        if (length > 0)
        {
            buffer.Advance(Encoding.UTF8.GetBytes(value, buffer.GetSpan(length)));
        }
    }
}
