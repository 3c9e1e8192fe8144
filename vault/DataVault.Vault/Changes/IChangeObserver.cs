using DataVault.Vault.Storage;

namespace DataVault.Vault.Changes;

/// <summary>
/// Told of every <see cref="ChangeFact"/> inside the transaction of the write that states it, on the writer's
/// connection, so that what it writes commits or rolls back with the change: no change without its record, no
/// record of a change that did not happen.
/// </summary>
internal interface IChangeObserver
{
    void Observe(VaultWriteContext context, ChangeFact fact, ChangeOrigin origin, DateTimeOffset at);

    /// <summary>Told once a batch in which a change was stated has committed; what it observed is durable now.</summary>
    void Committed();
}
