using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
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
/// Group commit: one writer drains every entry queued by concurrent requests into a single
/// transaction (one fsync), then releases each waiting request. A request therefore waits for the
/// batch holding its entry, not for a flush of its own, and no request is answered before its
/// entry is on disk. If a batch cannot be committed every request in it fails (503) and releases
/// nothing; the writer keeps going with the next batch.
/// </summary>
internal sealed class AuditWriter(
    AuditDatabase database,
    AuditCheckpoints checkpoints,
    IOptions<AuditOptions> options,
    TimeProvider time,
    ILogger<AuditWriter> logger) : BackgroundService, IAuditTrail
{
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });

    public async Task WriteAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var pending = new Pending(record, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new AuditUnavailableException("The audit writer has stopped.");
        }

        try
        {
            // The entry may still be committed after a timeout; the request fails closed regardless.
            // The store's busy timeout is WriteTimeout; one more second covers the commit and flush after it.
            await pending.Completion.Task.WaitAsync(options.Value.WriteTimeout + TimeSpan.FromSeconds(1), time, cancellationToken);
        }
        catch (TimeoutException exception)
        {
            throw new AuditUnavailableException("The audit entry was not made durable in time.", exception);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var batch = new List<Pending>(settings.MaxBatchSize);
        var records = new List<AuditRecord>(settings.MaxBatchSize);
        var lastCheckpoint = time.GetUtcNow();
        SqliteConnection? connection = null;
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                batch.Clear();
                records.Clear();
                while (batch.Count < settings.MaxBatchSize && _queue.Reader.TryRead(out var next))
                {
                    batch.Add(next);
                    records.Add(next.Record);
                }

                try
                {
                    connection ??= database.OpenWriter();
                    AuditStore.Append(connection, records, time.GetUtcNow());
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetResult();
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // Whatever failed, every request in the batch fails closed and the writer carries on.
                    Log.AuditBatchFailed(logger, batch.Count, (exception as SqliteException)?.SqliteErrorCode ?? -1, exception);
                    var failure = new AuditUnavailableException("The audit store refused the entry.", exception);
                    foreach (var pending in batch)
                    {
                        pending.Completion.TrySetException(failure);
                    }

                    // A connection that saw an I/O error is not trusted again; the next batch reopens.
                    connection?.Dispose();
                    connection = null;
                    continue;
                }

                try
                {
                    if (await checkpoints.WriteIfDueAsync(connection, settings, lastCheckpoint, stoppingToken) is not null)
                    {
                        lastCheckpoint = time.GetUtcNow();
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    // The entries are durable; the checkpoint (database, key ring or signing key) is retried after the next batch.
                    Log.AuditCheckpointFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: entries still queued are failed below, so their requests do not hang.
        }
        finally
        {
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left))
            {
                left.Completion.TrySetException(new AuditUnavailableException("The service is stopping."));
            }

            connection?.Dispose();
        }
    }

    private sealed record Pending(AuditRecord Record, TaskCompletionSource Completion);
}
