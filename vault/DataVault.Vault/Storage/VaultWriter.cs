using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

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
/// through Identity, officers, the retention sweep, the CLI, other instances) are rare and meet
/// SQLite's own busy handling.
/// </para>
/// </remarks>
internal sealed class VaultWriter : IAsyncDisposable, IDisposable
{
    /// <summary>The most changes one transaction takes; more wait for the next batch.</summary>
    public const int MaxBatchSize = 256;

    // How long the writer's connection waits natively for a lock: for BEGIN IMMEDIATE while another
    // connection writes, and for readers to leave the write-ahead log before it is truncated.
    private const int BusyTimeoutMilliseconds = 1000;

    private readonly Channel<object> _queue = Channel.CreateUnbounded<object>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly ILogger<VaultWriter> _logger;
    private readonly Lock _start = new();
    private Task? _loop;

    public VaultWriter(VaultDatabase database, ILogger<VaultWriter> logger)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connectionString = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString();
        _logger = logger;
    }

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
        Enqueue(write);
        return write.Completion;
    }

    /// <summary>
    /// Waits until the writer is idle and lets the caller run one transaction of its own (on another
    /// connection) before the next batch; disposing the result lets the writer continue.
    /// </summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = new Lease();
        Enqueue(lease);
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
        SqliteConnection? connection = null;
        VaultWriteContext? context = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync())
            {
                batch.Clear();
                while (batch.Count < MaxBatchSize && _queue.Reader.TryPeek(out var next))
                {
                    if (next is Lease && batch.Count > 0)
                    {
                        break;
                    }

                    _queue.Reader.TryRead(out _);
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
                    if (connection is null)
                    {
                        connection = Open();
                        context = new VaultWriteContext(connection);
                    }

                    Commit(context!, batch);
                }
                catch (Exception exception)
                {
                    // The transaction could not begin or commit: nothing of the batch was written, and
                    // every change in it fails with the reason. A connection that saw such an error is not
                    // trusted again; the next batch opens a new one.
                    Log.VaultBatchFailed(_logger, batch.Count, (exception as SqliteException)?.SqliteErrorCode ?? -1);
                    foreach (var write in batch)
                    {
                        write.Fail(exception);
                    }

                    context?.Dispose();
                    connection?.Dispose();
                    context = null;
                    connection = null;
                }
            }
        }
        finally
        {
            // Whatever stopped the loop, later callers fail at once instead of waiting for it.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                var stopped = new ObjectDisposedException(nameof(VaultWriter), "The vault writer has stopped.");
                switch (left)
                {
                    case Lease lease:
                        lease.Granted.TrySetException(stopped);
                        break;
                    case IQueuedVaultWrite write:
                        write.Fail(stopped);
                        break;
                }
            }

            context?.Dispose();
            connection?.Dispose();
        }
    }

    /// <summary>Runs the batch in one transaction and answers its callers; throws, having written nothing, if the transaction cannot begin or commit.</summary>
    /// <remarks>On a throw, <paramref name="batch"/> is left holding the changes that have no answer yet.</remarks>
    private void Commit(VaultWriteContext context, List<IQueuedVaultWrite> batch)
    {
        var answered = new bool[batch.Count];
        bool erased;
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
        catch (SqliteException)
        {
            Log.WalTruncateDeferred(_logger);
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

    /// <summary>A turn of the writer for a caller's own transaction.</summary>
    private sealed class Lease : IDisposable
    {
        public TaskCompletionSource Granted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Dispose() => Released.TrySetResult();
    }
}

/// <summary>The vault database's connection string, as configured.</summary>
internal sealed record VaultDatabase(string ConnectionString);
