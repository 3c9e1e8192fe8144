using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using DataVault.Vault.Erasure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Storage;

/// <summary>
/// Group commit for the vault's hot writes (subject creation, rectification and erasure; consent,
/// objection and restriction events), as <see cref="Audit.AuditWriter"/> does for audit entries.
/// Requests queue their change (<see cref="VaultWrite{T}"/>); one writer drains everything queued
/// into a single <c>BEGIN IMMEDIATE</c> transaction on its own long-lived connection, runs each change
/// in its own savepoint, commits once — one fsync (<c>synchronous=FULL</c>) for the whole batch — and,
/// when the batch erased a subject, truncates the write-ahead log. Only then is any caller answered,
/// so an acknowledged write or erasure survives a power cut.
/// </summary>
/// <remarks>
/// <para>
/// A change that is refused or throws rolls back only its own savepoint; the others commit. If the
/// transaction cannot begin or commit, every change in the batch fails with that error and nothing
/// of the batch is written.
/// </para>
/// <para>
/// SQLite has a single writer. Before group commit each request ran its own transaction, one at a
/// time, and each paid a flush of its own: a few hundred writes per second on this kind of disk.
/// Writers that need a transaction of their own on their own connection (the Global Privacy Control
/// objection, which writes its audit entry before it commits, and the retention sweep) take the
/// writer's turn with <see cref="EnterAsync"/>, in arrival order with the queued changes. Other writers (portal accounts
/// through Identity, officers, the CLI, other instances) are rare and meet
/// SQLite's own busy handling.
/// </para>
/// <para>
/// The ciphertexts of key groups shredded by an erasure are deleted afterwards, by this writer, in
/// chunks (<see cref="CiphertextPurge"/>): at low priority, when no change has been queued for a short
/// while, but at least one chunk a second however busy the vault is, so a stream of writes cannot
/// starve the purge. The write-ahead log is truncated when the purge queue is empty.
/// </para>
/// <para>
/// At most <see cref="VaultOptions.WriteQueueCapacity"/> changes and turns wait at once; a caller
/// beyond that is refused at once (<see cref="VaultBusyException"/>, answered 503 with Retry-After)
/// instead of being held in memory without limit.
/// </para>
/// </remarks>
internal sealed class VaultWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The most changes one transaction takes; more wait for the next batch.</summary>
    public const int MaxBatchSize = 256;

    // How long the writer's connection waits natively for a lock: for BEGIN IMMEDIATE while another
    // connection writes, and for readers to leave the write-ahead log before it is truncated.
    private const int BusyTimeoutMilliseconds = 1000;

    // How long the queue must stay empty before a purge chunk takes the writer, so that a steady flow
    // of requests is not made to wait behind one; and the longest a pending purge waits for a turn.
    private static readonly TimeSpan PurgeIdleGrace = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PurgeTurnInterval = TimeSpan.FromSeconds(1);

    // Queued to make the writer look for queued ciphertexts (at start, after a shredding elsewhere).
    private static readonly object PurgeSignal = new();

    // Unbounded only for the writer's own signals (at most one per start and per retention sweep); the
    // callers' changes and turns are counted against the capacity before they are queued.
    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly int _capacity;
    private readonly string _connectionString;
    private readonly ILogger<VaultWriter> _logger;
    private readonly Lock _start = new();
    private Task? _loop;

    // The loop's own state, touched by its task only.
    private SqliteConnection? _connection;
    private VaultWriteContext? _context;
    private bool _purgePending;
    private long _purgeTurn;

    // Callers' changes and turns queued and not yet taken by the loop.
    private int _waiting;

    public VaultWriter(VaultDatabase database, IOptions<VaultOptions> options, ILogger<VaultWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(options);
        _connectionString = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString();
        _capacity = options.Value.WriteQueueCapacity;
        _logger = logger;
    }

    /// <summary>Changes and turns waiting for the writer.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    /// <summary>
    /// Queues <paramref name="write"/> and completes once the batch holding it is durable, with the
    /// change's result, its own exception, or the batch's if the batch could not be committed.
    /// </summary>
    /// <remarks>
    /// A change still waiting in the queue when <paramref name="cancellationToken"/> fires is dropped;
    /// once its batch has taken it, the caller waits for the outcome, so a write is never reported
    /// cancelled and then committed.
    /// </remarks>
    public Task<T> WriteAsync<T>(VaultWrite<T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        write.CancellationToken = cancellationToken;
        EnqueueCounted(write);
        return write.Completion;
    }

    /// <summary>
    /// Waits until the writer is idle and lets the caller run one transaction of its own (on another
    /// connection) before the next batch; disposing the result lets the writer continue.
    /// </summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = new Lease();
        EnqueueCounted(lease);
        using (cancellationToken.Register(() => lease.Granted.TrySetCanceled(cancellationToken)))
        {
            try
            {
                await lease.Granted.Task;
            }
            catch (OperationCanceledException)
            {
                lease.Dispose();
                throw;
            }
        }

        return lease;
    }

    /// <summary>
    /// Makes the writer purge whatever ciphertexts are queued (<see cref="CiphertextPurge"/>), in the
    /// background at low priority: at start, since the queue outlives the process, and after a key
    /// group was shredded outside the writer's batches.
    /// </summary>
    public void SchedulePurge() => Enqueue(PurgeSignal);

    /// <summary>
    /// Purges every queued ciphertext now, in the writer's turn, and truncates the write-ahead log;
    /// completes when the purge queue is empty (or fails with the reason it could not be emptied).
    /// </summary>
    public Task PurgeAsync(CancellationToken cancellationToken)
    {
        var drain = new PurgeDrain();
        Enqueue(drain);
        return drain.Done.Task.WaitAsync(cancellationToken);
    }

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

    /// <exception cref="VaultBusyException">As many changes and turns as the capacity allows are already waiting.</exception>
    private void EnqueueCounted(object item)
    {
        if (Interlocked.Increment(ref _waiting) > _capacity)
        {
            Interlocked.Decrement(ref _waiting);
            throw new VaultBusyException();
        }

        try
        {
            Enqueue(item);
        }
        catch
        {
            Interlocked.Decrement(ref _waiting);
            throw;
        }
    }

    private void Enqueue(object item)
    {
        if (!_queue.Writer.TryWrite(item))
        {
            throw new ObjectDisposedException(nameof(VaultWriter), "The vault writer has stopped.");
        }

        // Started on first use rather than as a hosted service, so the vault's services work the same
        // inside the web host, the CLI and tests.
        if (Volatile.Read(ref _loop) is null)
        {
            lock (_start)
            {
                _loop ??= Task.Run(RunAsync);
            }
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<IQueuedVaultWrite>(MaxBatchSize);
        try
        {
            while (true)
            {
                if (_purgePending && !_queue.Reader.TryPeek(out _))
                {
                    // Nothing queued: purge a chunk unless a change arrives within the grace.
                    using var grace = new CancellationTokenSource(PurgeIdleGrace);
                    try
                    {
                        if (!await _queue.Reader.WaitToReadAsync(grace.Token))
                        {
                            break;
                        }
                    }
                    catch (OperationCanceledException)
                    {
                        PurgeChunk();
                        continue;
                    }
                }
                else if (!await _queue.Reader.WaitToReadAsync())
                {
                    break;
                }

                if (_purgePending && Stopwatch.GetElapsedTime(_purgeTurn) >= PurgeTurnInterval)
                {
                    PurgeChunk();
                }

                batch.Clear();
                while (batch.Count < MaxBatchSize && _queue.Reader.TryPeek(out var next))
                {
                    if (next is Lease or PurgeDrain && batch.Count > 0)
                    {
                        break;
                    }

                    _queue.Reader.TryRead(out _);
                    if (next is Lease or IQueuedVaultWrite)
                    {
                        Interlocked.Decrement(ref _waiting);
                    }

                    if (ReferenceEquals(next, PurgeSignal))
                    {
                        StartPurge();
                        continue;
                    }

                    if (next is PurgeDrain drain)
                    {
                        Drain(drain);
                        break;
                    }

                    if (next is Lease lease)
                    {
                        // The caller runs its transaction now; no batch holds the write lock meanwhile.
                        if (lease.Granted.TrySetResult())
                        {
                            await lease.Released.Task;
                        }

                        break;
                    }

                    var write = (IQueuedVaultWrite)next;
                    if (write.CancellationToken.IsCancellationRequested)
                    {
                        write.Cancel();
                    }
                    else
                    {
                        batch.Add(write);
                    }
                }

                if (batch.Count == 0)
                {
                    continue;
                }

                try
                {
                    Commit(Context(), batch);
                }
                catch (Exception exception)
                {
                    // The transaction could not begin or commit: nothing of the batch was written, and
                    // every change in it fails with the reason. A connection that saw such an error is not
                    // trusted again; the next batch opens a new one.
                    Log.VaultBatchFailed(_logger, batch.Count, (exception as SqliteException)?.SqliteErrorCode ?? -1, exception);
                    foreach (var write in batch)
                    {
                        write.Fail(exception);
                    }

                    CloseConnection();
                }
            }
        }
        finally
        {
            // Whatever stopped the loop, later callers fail at once instead of waiting for it. Queued
            // ciphertexts stay queued; the next start purges them.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                var stopped = new ObjectDisposedException(nameof(VaultWriter), "The vault writer has stopped.");
                if (left is Lease or IQueuedVaultWrite)
                {
                    Interlocked.Decrement(ref _waiting);
                }

                switch (left)
                {
                    case Lease lease:
                        lease.Granted.TrySetException(stopped);
                        break;
                    case PurgeDrain drain:
                        drain.Done.TrySetException(stopped);
                        break;
                    case IQueuedVaultWrite write:
                        write.Fail(stopped);
                        break;
                }
            }

            CloseConnection();
        }
    }

    private VaultWriteContext Context()
    {
        if (_context is null)
        {
            _connection = Open();
            _context = new VaultWriteContext(_connection);
        }

        return _context;
    }

    private void CloseConnection()
    {
        _context?.Dispose();
        _connection?.Dispose();
        _context = null;
        _connection = null;
    }

    private void StartPurge()
    {
        if (!_purgePending)
        {
            _purgePending = true;
            _purgeTurn = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// Deletes one chunk of queued ciphertexts in a transaction of its own; when the queue is empty,
    /// truncates the write-ahead log so that no page image of them stays in the <c>-wal</c> file.
    /// </summary>
    /// <returns>Why the chunk failed, or null. A failed purge stays queued and is retried at the next signal or shredding.</returns>
    private Exception? PurgeChunk()
    {
        _purgeTurn = Stopwatch.GetTimestamp();
        try
        {
            var context = Context();
            bool more;
            context.Begin();
            try
            {
                more = CiphertextPurge.PurgeChunk(context);
                context.Commit();
            }
            catch
            {
                try
                {
                    context.Rollback();
                }
                catch (SqliteException)
                {
                    // The connection is discarded below; the transaction ends with it.
                }

                throw;
            }

            if (!more)
            {
                _purgePending = false;
                TruncateWriteAheadLog(context);
            }

            return null;
        }
        catch (Exception exception)
        {
            Log.CiphertextPurgeFailed(_logger, (exception as SqliteException)?.SqliteErrorCode ?? -1, exception);
            _purgePending = false;
            CloseConnection();
            return exception;
        }
    }

    private void Drain(PurgeDrain drain)
    {
        _purgePending = true;
        Exception? failure;
        do
        {
            failure = PurgeChunk();
        }
        while (failure is null && _purgePending);

        if (failure is null)
        {
            drain.Done.TrySetResult();
        }
        else
        {
            drain.Done.TrySetException(failure);
        }
    }

    /// <summary>Runs the batch in one transaction and answers its callers; throws, having written nothing, if the transaction cannot begin or commit.</summary>
    /// <remarks>On a throw, <paramref name="batch"/> is left holding the changes that have no answer yet.</remarks>
    private void Commit(VaultWriteContext context, List<IQueuedVaultWrite> batch)
    {
        var answered = new bool[batch.Count];
        bool erased;
        bool purgeQueued;
        context.Begin();
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                context.Savepoint();
                bool keep;
                try
                {
                    keep = batch[i].Run(context);
                }
                catch (Exception exception) when (context.InTransaction)
                {
                    // This change alone fails (a bug, a constraint it broke); the others go on. An error
                    // after which SQLite rolled the whole transaction back (I/O, full disk) fails the batch.
                    context.RollbackToSavepoint();
                    answered[i] = true;
                    batch[i].Fail(exception);
                    continue;
                }

                if (keep)
                {
                    context.ReleaseSavepoint();
                }
                else
                {
                    context.RollbackToSavepoint();
                }
            }

            erased = context.Erased;
            purgeQueued = context.PurgeQueued;
            context.Commit();
        }
        catch
        {
            try
            {
                context.Rollback();
            }
            catch (SqliteException)
            {
                // The caller discards the connection; the transaction ends with it.
            }

            var unanswered = batch.Where((_, i) => !answered[i]).ToList();
            batch.Clear();
            batch.AddRange(unanswered);
            throw;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!answered[i])
            {
                try
                {
                    batch[i].Committed();
                }
                catch (Exception exception)
                {
                    // Committed, but its in-memory follow-up (a cache update) failed: the caller is not told it all went well.
                    answered[i] = true;
                    batch[i].Fail(exception);
                }
            }
        }

        // Before any caller is answered: an acknowledged erasure leaves no page image in the log.
        if (erased)
        {
            TruncateWriteAheadLog(context);
        }

        if (purgeQueued)
        {
            StartPurge();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!answered[i])
            {
                batch[i].Complete();
            }
        }
    }

    /// <summary>
    /// Copies the write-ahead log into the database and truncates it, so page images taken before an
    /// erasure do not stay in the <c>-wal</c> file. Waits up to the busy timeout for readers to leave
    /// the log; if they do not, or the checkpoint fails, the erasure is committed all the same and the
    /// next checkpoint truncates.
    /// </summary>
    private void TruncateWriteAheadLog(VaultWriteContext context)
    {
        try
        {
            using var reader = context.Query("PRAGMA wal_checkpoint(TRUNCATE);");
            if (reader.Read() && Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture) != 0)
            {
                Log.WalTruncateDeferred(_logger);
            }
        }
        catch (SqliteException exception)
        {
            Log.WalTruncateDeferred(_logger, exception);
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();

            // FULL: a commit is on disk before the callers waiting for it are answered. secure_delete:
            // erasures share the batch's transaction with other changes, so every statement on this
            // connection overwrites what it deletes (GDPR Art. 17: ciphertexts and keys must not linger
            // in free pages).
            pragma.CommandText = string.Create(
                CultureInfo.InvariantCulture,
                $"PRAGMA synchronous = FULL; PRAGMA secure_delete = ON; PRAGMA busy_timeout = {BusyTimeoutMilliseconds};");
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>A request to purge every queued ciphertext in the writer's turn.</summary>
    private sealed class PurgeDrain
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>A turn of the writer for a caller's own transaction.</summary>
    private sealed class Lease : IDisposable
    {
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose() => Released.TrySetResult();
    }
}

/// <summary>The vault writer's queue is full: the change was not queued, and nothing was changed.</summary>
internal sealed class VaultBusyException() : Exception("The vault writer's queue is full; the change was not queued.");

/// <summary>The vault database's connection string, as configured.</summary>
internal sealed record VaultDatabase(string ConnectionString);
