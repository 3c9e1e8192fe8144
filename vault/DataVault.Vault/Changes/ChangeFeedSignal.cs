namespace DataVault.Vault.Changes;

/// <summary>
/// Wakes whoever waits for something to happen in this process. In-process only: a waiter also looks again at the end
/// of a bounded wait, so what another process did is found then.
/// </summary>
internal abstract class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; take it before looking, so nothing between the look and the wait is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}

/// <summary>Wakes every reader waiting on the change feed (a long poll) when routing has committed new rows.</summary>
internal sealed class ChangeFeedSignal : WakeSignal;

/// <summary>Wakes the <see cref="ChangeRouter"/> when a write that stated a change has committed, so recipients hear of it at once.</summary>
internal sealed class ChangeRoutingSignal : WakeSignal;
