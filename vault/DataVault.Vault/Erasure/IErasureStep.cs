using DataVault.Vault.Storage;

namespace DataVault.Vault.Erasure;

/// <summary>
/// Data kept outside the subject's own tables that an erasure (GDPR Art. 17) must remove too. The
/// erasure calls every registered step inside its transaction, on the vault writer's connection, so
/// the subject and everything linked to it go together or not at all.
/// </summary>
internal interface IErasureStep
{
    void Erase(VaultWriteContext context, string subjectId);
}
