namespace DataVault.Vault.Changes;

/// <summary>
/// Wakes every reader waiting on the change feed (a long poll) when routing has committed new rows. In-process only:
/// a reader also looks again at the end of its wait, so rows routed by another process are found then.
/// </summary>
internal sealed class ChangeFeedSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next <see cref="Notify"/>; take it before looking at the feed, so no routing between the look and the wait is missed.</summary>
    public Task Next => Volatile.Read(ref _next).Task;

    public void Notify() => Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
