namespace DataVault.Portal.Export;

/// <summary>
/// Sits between a <see cref="System.IO.Compression.ZipArchive"/> and the response body, which refuses
/// synchronous writes. Even through the asynchronous ZIP API, disposing an entry writes the deflater's
/// last block and the entry's data descriptor synchronously. Every write (synchronous or not) lands in
/// a small buffer here; asynchronous writes pass the buffer on once it holds a chunk, and the archive
/// writer calls <see cref="FlushAsync(CancellationToken)"/> after each entry, so the synchronous tail
/// of an entry (a few kilobytes at most) is sent asynchronously right after it. Memory stays bounded
/// by one chunk plus that tail, and synchronous IO stays disallowed for the whole request.
/// </summary>
internal sealed class ChunkedResponseStream(Stream inner) : Stream
{
    private const int ChunkSize = 64 * 1024;

    private readonly MemoryStream _buffer = new();

    public override bool CanRead => false;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override void Write(byte[] buffer, int offset, int count) => _buffer.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => _buffer.Write(buffer);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        _buffer.Write(buffer.Span);
        if (_buffer.Length >= ChunkSize)
        {
            await SendBufferAsync(cancellationToken);
        }
    }

    /// <summary>Nothing is sent here: a synchronous flush would be a blocking write; the buffer goes out on the next <see cref="FlushAsync(CancellationToken)"/>.</summary>
    public override void Flush()
    {
    }

    public override async Task FlushAsync(CancellationToken cancellationToken)
    {
        await SendBufferAsync(cancellationToken);
        await inner.FlushAsync(cancellationToken);
    }

    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _buffer.Dispose();
        }

        base.Dispose(disposing);
    }

    private async Task SendBufferAsync(CancellationToken cancellationToken)
    {
        if (_buffer.Length > 0)
        {
            await inner.WriteAsync(_buffer.GetBuffer().AsMemory(0, (int)_buffer.Length), cancellationToken);
            _buffer.SetLength(0);
        }
    }
}
