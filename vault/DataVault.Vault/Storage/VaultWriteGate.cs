namespace DataVault.Vault.Storage;

/// <summary>
/// Lets one write transaction of the hot write paths (subject creation, rectification and erasure,
/// consent, objection and restriction events: <see cref="Subjects.SubjectService"/> and
/// <see cref="Consents.ConsentService"/>) at a time into the vault database, in arrival order,
/// waiting asynchronously. SQLite has a single writer; when concurrent requests collided on
/// <c>BEGIN IMMEDIATE</c>, Microsoft.Data.Sqlite retried the busy database by blocking the thread
/// for 150 ms at a time, so under load a write spent most of its time asleep while the lock sat free
/// (and tied up a thread-pool thread doing it). Waiting here costs neither. Other writers (portal
/// accounts and invitations through Identity, officers, the retention sweep, the CLI, other
/// instances) are rare and still meet SQLite's own busy handling.
/// </summary>
internal sealed class VaultWriteGate : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Waits for the gate; disposing the result lets the next writer in.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        return new Lease(_gate);
    }

    public void Dispose() => _gate.Dispose();

    private sealed class Lease(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }
}
