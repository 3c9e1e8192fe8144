using System.Threading.Channels;

namespace DataVault.Vault.Storage;

/// <summary>Something queued for a group-committing writer: it is answered by its batch, or failed when it can never run.</summary>
internal interface IGroupCommitItem
{
    void Fail(Exception exception);
}

/// <summary>How queuing an item for a group-committing writer went.</summary>
internal enum Queued
{
    Yes,

    /// <summary>As many items as the capacity allows already wait; nothing was queued.</summary>
    Full,

    /// <summary>The writer has stopped; nothing was queued.</summary>
    Stopped,
}

/// <summary>
/// Group commit, written once for the vault writer (<see cref="VaultWriter"/>) and the audit writer
/// (<see cref="Audit.AuditWriter"/>): callers queue items; one loop takes everything queued, up to a batch size, and
/// hands the batch to the writer, which runs it as one transaction (one flush for all of them) and answers each
/// item; then it takes the next batch. A caller therefore waits for the batch that holds its item, not for a flush
/// of its own.
/// </summary>
/// <remarks>
/// <para>
/// The queue is bounded: when as many items wait as the capacity allows, the next is refused at once
/// (<see cref="Queued.Full"/>) instead of being held in memory without limit. The writer's own signals are queued
/// without counting against it, so they are never refused.
/// </para>
/// <para>
/// The loop starts with the first item rather than as a hosted service, so the vault's services work the same inside
/// the web host, the administration verbs and tests. Disposing stops taking items, runs what is queued, and ends the
/// loop; an item the loop can no longer run is failed, never left waiting.
/// </para>
/// </remarks>
internal abstract class GroupCommitQueue<TItem> : IAsyncDisposable, IDisposable
    where TItem : class, IGroupCommitItem
{
    private readonly Channel<(TItem Item, bool Counted)> _queue =
        Channel.CreateUnbounded<(TItem Item, bool Counted)>(new UnboundedChannelOptions { SingleReader = true });

    private readonly int _capacity;
    private readonly int _maxBatchSize;
    private readonly Lock _start = new();
    private Task? _loop;
    private int _waiting;
    private int _backlog;

    protected GroupCommitQueue(int capacity, int maxBatchSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBatchSize, 1);
        _capacity = capacity;
        _maxBatchSize = maxBatchSize;
    }

    /// <summary>Callers' items queued and not yet taken into a batch.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>Callers' items accepted and not yet answered: queued, or in the batch being run.</summary>
    public int Backlog => Volatile.Read(ref _backlog);

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        Task? loop;
        lock (_start)
        {
            loop = _loop;
        }

        if (loop is not null)
        {
            await loop;
        }
    }

    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <summary>Queues <paramref name="item"/>; a caller's item counts against the capacity, the writer's own signals do not.</summary>
    protected Queued Enqueue(TItem item, bool counted = true)
    {
        if (counted)
        {
            if (Interlocked.Increment(ref _waiting) > _capacity)
            {
                Interlocked.Decrement(ref _waiting);
                return Queued.Full;
            }

            Interlocked.Increment(ref _backlog);
        }

        if (!_queue.Writer.TryWrite((item, counted)))
        {
            if (counted)
            {
                Interlocked.Decrement(ref _waiting);
                Interlocked.Decrement(ref _backlog);
            }

            return Queued.Stopped;
        }

        if (Volatile.Read(ref _loop) is null)
        {
            lock (_start)
            {
                _loop ??= Task.Run(RunAsync, CancellationToken.None);
            }
        }

        return Queued.Yes;
    }

    /// <summary>Runs <paramref name="batch"/> as one transaction and answers every item in it, with its result or its failure.</summary>
    protected abstract Task RunBatchAsync(List<TItem> batch);

    /// <summary>Whether a taken item joins the batch; one that does not must be answered by this call (a caller that gave up).</summary>
    protected virtual bool Admit(TItem item) => true;

    /// <summary>Waits until items are queued; false once the queue is completed and empty. A writer with work of its own to do while idle overrides it.</summary>
    protected virtual ValueTask<bool> WaitForItemsAsync(ChannelReader<(TItem Item, bool Counted)> reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return reader.WaitToReadAsync();
    }

    /// <summary>The reason an item is failed with when the loop stopped before running it.</summary>
    protected abstract Exception Stopped();

    /// <summary>Releases what the loop held (a connection) once it has ended.</summary>
    protected abstract void OnStopped();

    private async Task RunAsync()
    {
        var batch = new List<TItem>(_maxBatchSize);
        try
        {
            while (await WaitForItemsAsync(_queue.Reader))
            {
                batch.Clear();
                var counted = 0;
                while (batch.Count < _maxBatchSize && _queue.Reader.TryRead(out var next))
                {
                    if (next.Counted)
                    {
                        Interlocked.Decrement(ref _waiting);
                        counted++;
                    }

                    if (Admit(next.Item))
                    {
                        batch.Add(next.Item);
                    }
                }

                try
                {
                    if (batch.Count > 0)
                    {
                        await RunBatchAsync(batch);
                    }
                }
                finally
                {
                    Interlocked.Add(ref _backlog, -counted);
                }
            }
        }
        finally
        {
            // Whatever stopped the loop, later callers fail at once and queued items are failed, never left waiting.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                if (left.Counted)
                {
                    Interlocked.Decrement(ref _waiting);
                    Interlocked.Decrement(ref _backlog);
                }

                left.Item.Fail(Stopped());
            }

            OnStopped();
        }
    }
}
