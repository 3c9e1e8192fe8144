using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Audit;

/// <summary>Records audit entries; a request awaits its entry before it may answer.</summary>
internal interface IAuditTrail
{
    /// <summary>Completes once the entry is durable; throws <see cref="AuditUnavailableException"/> otherwise.</summary>
    Task WriteAsync(AuditRecord record, CancellationToken cancellationToken);
}

/// <summary>
/// Group commit (<see cref="GroupCommitQueue{TItem}"/>, as the vault writer does for changes): one writer
/// drains every entry queued by concurrent requests into a single transaction (one fsync), then releases
/// each waiting request. A request therefore waits for the batch holding its entry, not for a flush of its
/// own, and no request is answered before its entry is on disk. If a batch cannot be committed every request
/// in it fails (503) and releases nothing; the writer keeps going with the next batch.
/// </summary>
/// <remarks>
/// <para>
/// A request waits until its entry's deadline (<see cref="AuditOptions.WriteTimeout"/> and a second
/// for the commit). An entry is claimed for its request only once the writer holds the write lock and
/// the deadline has not passed; a request whose entry is claimed waits for that commit, whose outcome
/// is then its own. An entry not claimed by its deadline is given up: its request answers 503 and
/// releases nothing, and if the entry is committed afterwards it says so (<see cref="AuditOutcomes.TimedOut"/>),
/// so the trail never records as a success what the caller was refused.
/// </para>
/// <para>
/// The queue is bounded (<see cref="AuditOptions.QueueCapacity"/>): when it is full a request is
/// refused at once (503 with Retry-After) rather than held in memory without limit.
/// </para>
/// <para>
/// The writer starts with the first entry, so the service's start (the <c>policy.load</c> entry), the
/// administration verbs and requests record through the same writer. It stops when the service provider is
/// disposed, after committing what is queued.
/// </para>
/// </remarks>
internal sealed class AuditWriter(AuditDatabase database, AuditCheckpoints checkpoints, IOptions<AuditOptions> options, TimeProvider time, ILogger<AuditWriter> logger)
    : GroupCommitQueue<AuditWriter.Pending>(SettingsOf(options).QueueCapacity, SettingsOf(options).MaxBatchSize), IAuditTrail
{
    // How long a commit may take after the busy timeout (the flush of the batch) before its requests give up.
    private static readonly TimeSpan CommitAllowance = TimeSpan.FromSeconds(1);

    private readonly AuditOptions _settings = SettingsOf(options);
    private readonly List<AuditRecord> _records = new(SettingsOf(options).MaxBatchSize);
    private readonly RecipientLedgerCache _ledger = new(SettingsOf(options).LedgerLastSeenGranularity);

    // The loop's own state, touched by its task only.
    private SqliteConnection? _connection;
    private DateTimeOffset _lastCheckpoint = time.GetUtcNow();

    /// <summary>Entries waiting for the writer to take them into a batch.</summary>
    public int QueuedEntries => Waiting;

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var wait = _settings.WriteTimeout + CommitAllowance;
        var pending = new Pending(record, time.GetUtcNow() + wait);
        switch (Enqueue(pending))
        {
            case Queued.Full:
                throw new AuditUnavailableException("The audit queue is full.");
            case Queued.Stopped:
                throw new AuditUnavailableException("The audit writer has stopped.");
        }

        try
        {
            await pending.Completion.Task.WaitAsync(wait, time, cancellationToken);
        }
        catch (TimeoutException exception) when (pending.GiveUp())
        {
            // Not claimed in time: the request fails closed, and the entry, if committed later, says it timed out.
            throw new AuditUnavailableException("The audit entry was not made durable in time.", exception);
        }
        catch (TimeoutException)
        {
            // Claimed: the entry is being committed with its outcome, so the answer waits for that commit.
            await pending.Completion.Task.WaitAsync(cancellationToken);
        }
    }

    protected override async Task RunBatchAsync(List<Pending> batch)
    {
        try
        {
            _connection ??= database.OpenWriter();
            AuditStore.AppendClaimed(_connection, () => Claim(batch), time.GetUtcNow(), _ledger);
            foreach (var pending in batch)
            {
                pending.Committed();
            }
        }
        catch (Exception exception)
        {
            // Whatever failed, every request in the batch fails closed and the writer carries on.
            Log.AuditBatchFailed(logger, batch.Count, (exception as SqliteException)?.SqliteErrorCode ?? -1, exception);
            var failure = new AuditUnavailableException("The audit store refused the entry.", exception);
            foreach (var pending in batch)
            {
                pending.Fail(failure);
            }

            // A connection that saw an I/O error is not trusted again; the next batch reopens.
            _connection?.Dispose();
            _connection = null;
            return;
        }

        try
        {
            if (await checkpoints.WriteIfDueAsync(_connection, _settings, _lastCheckpoint, CancellationToken.None) is not null)
            {
                _lastCheckpoint = time.GetUtcNow();
            }
        }
        catch (Exception exception)
        {
            // The entries are durable; the checkpoint (database, key ring or signing key) is retried after the next batch.
            Log.AuditCheckpointFailed(logger, exception);
        }
    }

    protected override Exception Stopped() => new AuditUnavailableException("The audit writer has stopped.");

    protected override void OnStopped()
    {
        _connection?.Dispose();
        _connection = null;
    }

    private static AuditOptions SettingsOf(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Value;
    }

    /// <summary>
    /// Called with the write lock held: claims each entry whose request still waits (its deadline has not
    /// passed), and records the others as timed out.
    /// </summary>
    private List<AuditRecord> Claim(List<Pending> batch)
    {
        _records.Clear();
        var now = time.GetUtcNow();
        foreach (var pending in batch)
        {
            _records.Add(pending.Claim(now) ? pending.Record : pending.Record with { Outcome = AuditOutcomes.TimedOut });
        }

        return _records;
    }

    /// <summary>An entry and its request's wait: queued, then either claimed by the writer or given up.</summary>
    internal sealed class Pending(AuditRecord record, DateTimeOffset deadline) : IGroupCommitItem
    {
        private const int Queued = 0;
        private const int Claimed = 1;
        private const int GivenUp = 2;

        private int _state;

        public AuditRecord Record { get; } = record;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>The writer takes the entry for its request; false once the request has given up or its deadline passed.</summary>
        public bool Claim(DateTimeOffset now)
        {
            if (now >= deadline)
            {
                // The request's own timer may not have fired yet; it is answered 503 all the same.
                GiveUp();
            }

            return Interlocked.CompareExchange(ref _state, Claimed, Queued) == Queued;
        }

        /// <summary>The request stops waiting; false when the writer had already claimed the entry.</summary>
        public bool GiveUp() =>
            Interlocked.CompareExchange(ref _state, GivenUp, Queued) is Queued or GivenUp;

        public void Committed()
        {
            if (Volatile.Read(ref _state) == Claimed)
            {
                Completion.TrySetResult();
            }
            else
            {
                Completion.TrySetException(new AuditUnavailableException("The audit entry was not made durable in time."));
            }
        }

        public void Fail(Exception exception) => Completion.TrySetException(exception);
    }
}
