using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Mail;

/// <summary>
/// GDPR Art. 17: a message about a subject that is still queued holds the subject's address, so the
/// erasure deletes it in its own transaction; it is never sent afterwards (<see cref="QueueMailWrite"/>
/// refuses to queue one for an erased subject).
/// </summary>
internal sealed class MailOutboxErasureStep : IErasureStep
{
    public void Erase(VaultWriteContext context, string subjectId)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Execute("DELETE FROM mail_outbox WHERE subject_id = $1;", subjectId);
    }
}
