using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using DataVault.Vault.Changes;
using DataVault.Vault.Erasure;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Storage;

/// <summary>
/// Every change the vault makes to its database: subject creation, rectification and erasure; consent,
/// objection (including Global Privacy Control) and restriction events; the retention sweep; the mail
/// outbox. Requests queue their change (<see cref="VaultWrite{T}"/>); one writer drains everything queued
/// (<see cref="GroupCommitQueue{TItem}"/>, as the audit writer does for entries) into a single
/// <c>BEGIN IMMEDIATE</c> transaction on its own long-lived connection, runs each change in its own
/// savepoint, commits once — one fsync (<c>synchronous=FULL</c>) for the whole batch — and, when the batch
/// erased something, truncates the write-ahead log. Only then is any caller answered, so an acknowledged
/// write or erasure survives a power cut.
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
/// Other writers (portal accounts through Identity, officers, the CLI, other instances) are rare and
/// meet SQLite's own busy handling.
/// </para>
/// <para>
/// The ciphertexts of key groups shredded by an erasure are deleted afterwards, by this writer, in
/// chunks (<see cref="CiphertextPurge"/>): at low priority, when no change has been queued for a short
/// while, but at least one chunk a second however busy the vault is, so a stream of writes cannot
/// starve the purge. The write-ahead log is truncated when the purge queue is empty.
/// </para>
/// <para>
/// At most <see cref="VaultOptions.WriteQueueCapacity"/> changes wait at once; a caller beyond that is
/// refused at once (<see cref="VaultBusyException"/>, answered 503 with Retry-After) instead of being held
/// in memory without limit.
/// </para>
/// </remarks>
internal sealed class VaultWriter : GroupCommitQueue<IQueuedVaultWrite>
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

    private readonly string _connectionString;
    private readonly ILogger<VaultWriter> _logger;
    private readonly IEnumerable<IChangeObserver> _observers;
    private readonly TimeProvider _time;

    // The loop's own state, touched by its task only.
    private SqliteConnection? _connection;
    private VaultWriteContext? _context;
    private bool _purgePending;
    private long _purgeTurn;

    // Callers of PurgeAsync waiting for the purge queue to be empty; while any wait, the purge does not yield to changes.
    private readonly List<TaskCompletionSource> _purgeWaiters = [];

    public VaultWriter(VaultDatabase database, IOptions<VaultOptions> options, IEnumerable<IChangeObserver> observers, TimeProvider time, ILogger<VaultWriter> logger)
        : base(CapacityOf(options), MaxBatchSize)
    {
        ArgumentNullException.ThrowIfNull(database);
        _connectionString = new SqliteConnectionStringBuilder(database.ConnectionString) { Pooling = false }.ToString();
        _observers = observers;
        _time = time;
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
    /// <exception cref="VaultBusyException">As many changes as the capacity allows are already waiting.</exception>
    public Task<T> WriteAsync<T>(VaultWrite<T> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(write);
        write.CancellationToken = cancellationToken;
        switch (Enqueue(write))
        {
            case Queued.Full:
                throw new VaultBusyException();
            case Queued.Stopped:
                throw Stopped();
        }

        return write.Completion;
    }

    /// <summary>
    /// Makes the writer purge whatever ciphertexts are queued (<see cref="CiphertextPurge"/>), in the
    /// background at low priority: at start, since the queue outlives the process, and after a key
    /// group was shredded outside the writer's batches.
    /// </summary>
    public void SchedulePurge()
    {
        if (Enqueue(new PurgeRequest(this, null), counted: false) == Queued.Stopped)
        {
            throw Stopped();
        }
    }

    /// <summary>
    /// Purges every queued ciphertext now, in the writer's turn, and truncates the write-ahead log;
    /// completes when the purge queue is empty (or fails with the reason it could not be emptied).
    /// </summary>
    public async Task PurgeAsync(CancellationToken cancellationToken)
    {
        var emptied = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var request = new PurgeRequest(this, emptied);
        if (Enqueue(request, counted: false) == Queued.Stopped)
        {
            throw Stopped();
        }

        // Its batch failing fails the request; once it is committed, the purge answers.
        await request.Completion.WaitAsync(cancellationToken);
        await emptied.Task.WaitAsync(cancellationToken);
    }

    protected override bool Admit(IQueuedVaultWrite item)
    {
        if (!item.CancellationToken.IsCancellationRequested)
        {
            return true;
        }

        item.Cancel();
        return false;
    }

    protected override async ValueTask<bool> WaitForItemsAsync(ChannelReader<(IQueuedVaultWrite Item, bool Counted)> reader)
    {
        while (_purgePending && !reader.TryPeek(out _))
        {
            if (_purgeWaiters.Count > 0)
            {
                PurgeChunk();
                continue;
            }

            // Nothing queued: purge a chunk unless a change arrives within the grace.
            using var grace = new CancellationTokenSource(PurgeIdleGrace);
            try
            {
                return await reader.WaitToReadAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                PurgeChunk();
            }
        }

        return await reader.WaitToReadAsync();
    }

    protected override Task RunBatchAsync(List<IQueuedVaultWrite> batch)
    {
        if (_purgePending && Stopwatch.GetElapsedTime(_purgeTurn) >= PurgeTurnInterval)
        {
            PurgeChunk();
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

        return Task.CompletedTask;
    }

    protected override Exception Stopped() => new ObjectDisposedException(nameof(VaultWriter), "The vault writer has stopped.");

    /// <summary>Queued ciphertexts stay queued when the writer stops; the next start purges them.</summary>
    protected override void OnStopped()
    {
        FinishPurge(Stopped());
        CloseConnection();
    }

    private static int CapacityOf(IOptions<VaultOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value.WriteQueueCapacity;
    }

    private VaultWriteContext Context()
    {
        if (_context is null)
        {
            _connection = Open();
            _context = new VaultWriteContext(_connection, _observers, _time);
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
    /// A failed purge stays queued and is retried at the next signal or shredding.
    /// </summary>
    private void PurgeChunk()
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
                TruncateWriteAheadLog(context);
                FinishPurge(null);
            }
        }
        catch (Exception exception)
        {
            Log.CiphertextPurgeFailed(_logger, (exception as SqliteException)?.SqliteErrorCode ?? -1, exception);
            CloseConnection();
            FinishPurge(exception);
        }
    }

    /// <summary>The purge is over, emptied or failed: callers waiting for it are answered.</summary>
    private void FinishPurge(Exception? failure)
    {
        _purgePending = false;
        foreach (var waiter in _purgeWaiters)
        {
            if (failure is null)
            {
                waiter.TrySetResult();
            }
            else
            {
                waiter.TrySetException(failure);
            }
        }

        _purgeWaiters.Clear();
    }

    /// <summary>Runs the batch in one transaction and answers its callers; throws, having written nothing, if the transaction cannot begin or commit.</summary>
    /// <remarks>On a throw, <paramref name="batch"/> is left holding the changes that have no answer yet.</remarks>
    private void Commit(VaultWriteContext context, List<IQueuedVaultWrite> batch)
    {
        var answered = new bool[batch.Count];
        bool erased;
        bool purgeQueued;
        bool stated;
        context.Begin();
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                context.Savepoint();
                context.Origin = batch[i].Origin;
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
            stated = context.ChangesStated;
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

        if (stated)
        {
            foreach (var observer in _observers)
            {
                observer.Committed();
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

    /// <summary>
    /// A look at the purge queue, queued like a change so that it runs in the writer's turn: it has the writer purge
    /// whatever ciphertexts are queued, and, for a caller of <see cref="PurgeAsync"/>, answers once they are all gone.
    /// </summary>
    private sealed class PurgeRequest(VaultWriter writer, TaskCompletionSource? emptied) : VaultWrite<bool>
    {
        protected override bool Execute(VaultWriteContext context)
        {
            context.MarkPurgeQueued();
            return true;
        }

        protected override void OnCommitted(bool result)
        {
            if (emptied is not null)
            {
                writer._purgeWaiters.Add(emptied);
            }
        }
    }
}

/// <summary>The vault writer's queue is full: the change was not queued, and nothing was changed.</summary>
public sealed class VaultBusyException() : Exception("The vault writer's queue is full; the change was not queued.");

/// <summary>The vault database's connection string and the data directory, as configured.</summary>
internal sealed record VaultDatabase(string ConnectionString, string DataDirectory);
