using DataVault.Vault.Changes;

namespace DataVault.Vault.Storage;

/// <summary>
/// One change queued for <see cref="VaultWriter"/>. It runs on the writer's connection, inside the
/// batch's transaction and in a savepoint of its own: if it throws, or answers that its changes must
/// not be kept (a missing subject, invalid input), only its savepoint is rolled back and the other
/// changes of the batch still commit. Its caller is answered once the batch is durable.
/// </summary>
/// <remarks>
/// <see cref="Execute"/> runs on the single writer, so everything that does not need the database
/// (validation, key generation and wrapping, encryption, blind-index digests) belongs in the request
/// before the change is queued; the writer only reads what must be read inside the transaction and
/// inserts.
/// </remarks>
internal abstract class VaultWrite<T> : IQueuedVaultWrite
{
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private T? _result;

    /// <summary>Completes with the result once the batch holding this change is committed, or fails with the reason it was not.</summary>
    public Task<T> Completion => _completion.Task;

    public CancellationToken CancellationToken { get; set; }

    /// <summary>Who causes the change, as the facts it states name them (<see cref="VaultWriteContext.Changed"/>); the vault itself unless the service says who.</summary>
    public ChangeOrigin Origin { get; init; } = ChangeOrigin.System("vault");

    /// <summary>Makes the change (reads and writes through <paramref name="context"/>) and returns what the caller is answered.</summary>
    protected abstract T Execute(VaultWriteContext context);

    /// <summary>Whether the changes <see cref="Execute"/> made are kept; a refused change (not found, gone, invalid) rolls back its savepoint.</summary>
    protected virtual bool Keeps(T result) => true;

    /// <summary>Runs after the batch is committed and before any caller is answered, e.g. to update in-memory caches.</summary>
    protected virtual void OnCommitted(T result)
    {
    }

    bool IQueuedVaultWrite.Run(VaultWriteContext context)
    {
        _result = Execute(context);
        return Keeps(_result);
    }

    void IQueuedVaultWrite.Committed() => OnCommitted(_result!);

    void IQueuedVaultWrite.Complete() => _completion.TrySetResult(_result!);

    void IGroupCommitItem.Fail(Exception exception) => _completion.TrySetException(exception);

    void IQueuedVaultWrite.Cancel() => _completion.TrySetCanceled(CancellationToken);
}

/// <summary>What <see cref="VaultWriter"/> needs of a queued change, whatever its result type.</summary>
internal interface IQueuedVaultWrite : IGroupCommitItem
{
    CancellationToken CancellationToken { get; }

    ChangeOrigin Origin { get; }

    /// <returns>Whether the changes are kept.</returns>
    bool Run(VaultWriteContext context);

    void Committed();

    void Complete();

    void Cancel();
}
