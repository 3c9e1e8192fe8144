using DataVault.Vault.Storage;

namespace DataVault.Testing;

/// <summary>
/// Holds the vault writer in the middle of a batch until disposed: changes queued meanwhile wait in its queue and
/// are then run together as the next batch, so a test decides exactly which changes share a transaction.
/// </summary>
internal sealed class WriterHold : IDisposable
{
    private readonly HoldingWrite _write;

    private WriterHold(HoldingWrite write) => _write = write;

    /// <summary>Completes once the writer is inside the holding change.</summary>
    public static async Task<WriterHold> HoldAsync(VaultWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var write = new HoldingWrite();
        var written = writer.WriteAsync(write, CancellationToken.None);
        await Task.WhenAny(write.Entered.Task, written);
        await write.Entered.Task;
        return new WriterHold(write);
    }

    public void Dispose() => _write.Released.TrySetResult();

    /// <summary>A change that waits, inside the writer's transaction, until it is let go (at most a minute, so a test that forgets cannot hang the run).</summary>
    private sealed class HoldingWrite : VaultWrite<bool>
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override bool Execute(VaultWriteContext context)
        {
            Entered.TrySetResult();
            return Released.Task.Wait(TimeSpan.FromMinutes(1));
        }
    }
}
