using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Vault.Audit;

/// <summary>
/// The hash chain: <c>hash = SHA-256(canonical(entry) || previous hash)</c>. The canonical form is
/// fixed (big-endian sequence, then each field length-prefixed in UTF-8, -1 for null), so the same
/// entry always hashes the same and no two different entries share an encoding. Format 1 has the ten
/// <see cref="CanonicalColumns"/>; format 2 adds the person a client acted for (<c>on_behalf_of</c>) as
/// an eleventh field, only when there is one, so every format-1 entry hashes as it always did, and
/// adding, removing or changing the person of an entry changes its hash. Format 3 adds the data-subject request the
/// entry was made for (<c>request_id</c>), only when there is one: then the person is always the eleventh field (null
/// written as length -1) and the request the twelfth, so format-1 and format-2 entries hash as they always did, and
/// adding, removing or changing the request of an entry changes its hash.
/// </summary>
internal static class AuditChain
{
    public const int HashSize = 32;

    /// <summary>
    /// The columns of <c>audit_entries</c> that make up the canonical form, in the order
    /// <see cref="ComputeHash"/> adds them: the verifier hashes the stored values in this order.
    /// </summary>
    public const string CanonicalColumns = "occurred_at, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, trace_id";

    /// <summary>The column of format 2's eleventh field, hashed only when it is not null.</summary>
    public const string PersonColumn = "on_behalf_of";

    /// <summary>The column of format 3's twelfth field, hashed only when it is not null.</summary>
    public const string RequestColumn = "request_id";

    /// <summary>The "previous hash" of the first entry.</summary>
    public static readonly byte[] Genesis = new byte[HashSize];

    // One encoding buffer per thread: the writer hashes every entry it appends, without allocating.
    [ThreadStatic]
    private static AuditCanonicalForm? _form;

    public static byte[] ComputeHash(long sequence, string occurredAt, AuditRecord record, ReadOnlySpan<byte> previousHash)
    {
        ArgumentNullException.ThrowIfNull(record);
        var form = _form ??= new AuditCanonicalForm();
        form.Begin(sequence);
        form.Add(occurredAt);
        form.Add(record.ActorType);
        form.Add(record.ActorId);
        form.Add(record.Action);
        form.Add(record.SubjectId);
        form.Add(record.PurposeId);
        form.Add(record.Fields);
        form.Add(record.Withheld);
        form.Add(record.Outcome);
        form.Add(record.TraceId);
        if (record.RequestId is not null)
        {
            form.Add(record.OnBehalfOf);
            form.Add(record.RequestId);
        }
        else if (record.OnBehalfOf is not null)
        {
            form.Add(record.OnBehalfOf);
        }

        var hash = new byte[HashSize];
        form.Hash(previousHash, hash);
        return hash;
    }
}

/// <summary>
/// Builds the canonical form of one entry in a reusable buffer and hashes it. The writer adds
/// strings, the verifier the UTF-8 bytes stored in the database; both go through this one encoder,
/// so the two cannot disagree about the format. Not thread-safe: one instance per thread.
/// </summary>
internal sealed class AuditCanonicalForm : IDisposable
{
    /// <summary>Fields after the sequence number in format 1: <see cref="AuditChain.CanonicalColumns"/>.</summary>
    public const int FieldCount = 10;

    // Reused: setting up a digest costs more than hashing a few hundred bytes. Through OpenSSL 3
    // directly where it can be (see OpenSslSha256), through .NET elsewhere; both are SHA-256.
    private readonly OpenSslSha256? _openSsl;
    private readonly IncrementalHash? _sha256;
    private byte[] _buffer = new byte[1024];
    private int _length;
    private int _fields;

    /// <param name="useOpenSsl">False hashes through .NET even where OpenSSL 3 could be used.</param>
    public AuditCanonicalForm(bool useOpenSsl = true)
    {
        _openSsl = useOpenSsl ? OpenSslSha256.TryCreate() : null;
        _sha256 = _openSsl is null ? IncrementalHash.CreateHash(HashAlgorithmName.SHA256) : null;
    }

    public void Begin(long sequence)
    {
        BinaryPrimitives.WriteInt64BigEndian(_buffer, sequence);
        _length = sizeof(long);
        _fields = 0;
    }

    /// <summary>Adds a field whose UTF-8 bytes are in native memory (a value SQLite holds).</summary>
    public void Add(nint utf8, int length)
    {
        var start = Field(length);
        if (length > 0)
        {
            Marshal.Copy(utf8, _buffer, start, length);
        }
    }

    /// <summary>Adds a field given as its UTF-8 bytes (a value SQLite holds).</summary>
    public void Add(ReadOnlySpan<byte> utf8)
    {
        var start = Field(utf8.Length);
        utf8.CopyTo(_buffer.AsSpan(start));
    }

    /// <summary>Adds a field given as a string, encoded to UTF-8 (a lone surrogate becomes U+FFFD, as when SQLite stores it); null is written as length -1.</summary>
    public void Add(string? value)
    {
        if (value is null)
        {
            AddNull();
            return;
        }

        var prefix = Room(sizeof(int) + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, prefix[sizeof(int)..]);
        BinaryPrimitives.WriteInt32BigEndian(prefix, written);
        _length += sizeof(int) + written;
        _fields++;
    }

    public void AddNull()
    {
        BinaryPrimitives.WriteInt32BigEndian(Room(sizeof(int)), -1);
        _length += sizeof(int);
        _fields++;
    }

    /// <summary>Writes SHA-256 of the form followed by <paramref name="previousHash"/> to <paramref name="destination"/>.</summary>
    public void Hash(ReadOnlySpan<byte> previousHash, Span<byte> destination)
    {
        if (_fields is not (FieldCount or FieldCount + 1 or FieldCount + 2))
        {
            throw new InvalidOperationException($"An audit entry has {FieldCount} fields, {FieldCount + 1} with a person, or {FieldCount + 2} with a request; {_fields} were added.");
        }

        previousHash.CopyTo(Room(previousHash.Length));
        var form = _buffer.AsSpan(0, _length + previousHash.Length);
        if (_openSsl is not null)
        {
            _openSsl.Hash(form, destination);
        }
        else
        {
            _sha256!.AppendData(form);
            _sha256.GetHashAndReset(destination);
        }
    }

    public void Dispose()
    {
        _openSsl?.Dispose();
        _sha256?.Dispose();
    }

    /// <summary>Writes the length prefix of a field of <paramref name="length"/> bytes and returns where its bytes go.</summary>
    private int Field(int length)
    {
        BinaryPrimitives.WriteInt32BigEndian(Room(sizeof(int) + length), length);
        var start = _length + sizeof(int);
        _length = start + length;
        _fields++;
        return start;
    }

    /// <summary>The buffer after what is written, at least <paramref name="bytes"/> long.</summary>
    private Span<byte> Room(int bytes)
    {
        var needed = _length + bytes;
        if (needed > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(needed, _buffer.Length * 2));
        }

        return _buffer.AsSpan(_length);
    }
}
