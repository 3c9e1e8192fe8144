using DataVault.Vault.Mail;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

/// <summary>
/// Where the vault writes to an account's holder, and the notices of changes to the account. A customer is
/// written to at the subject's e-mail address on record (the vault's own knowledge of where the person is
/// reached, which the customer keeps current in the portal); a staff account, which has no subject, at its
/// own address. Messages go through the <see cref="IMailChannel"/>, so they are durable before the change
/// is confirmed on the page and are delivered, retried and audited (<c>mail.send</c>) like every other.
/// </summary>
public sealed class AccountNotices
{
    private readonly SubjectService subjects;
    private readonly IMailChannel mail;
    private readonly IOptions<MailOptions> mailOptions;
    private readonly TimeProvider time;

    internal AccountNotices(
        SubjectService subjects,
        IMailChannel mail,
        IOptions<MailOptions> mailOptions,
        TimeProvider time)
    {
        this.subjects = subjects;
        this.mail = mail;
        this.mailOptions = mailOptions;
        this.time = time;
    }

    /// <summary>The address messages about <paramref name="account"/> go to, or null when there is none on record.</summary>
    public async Task<string?> AddressAsync(CustomerAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return account.SubjectId is { } subjectId
            ? await subjects.ReadTextFieldAsync(subjectId, InvitationService.EmailField, cancellationToken)
            : account.Email;
    }

    /// <summary>
    /// Queues the notice that <paramref name="change"/> was just made, in <paramref name="language"/>; false when
    /// there is no address to write to (or the subject has just been erased), so nothing was queued.
    /// </summary>
    public async Task<bool> SendAsync(CustomerAccount account, AccountChange change, string? language, CancellationToken cancellationToken)
    {
        if (await AddressAsync(account, cancellationToken) is not { } address)
        {
            return false;
        }

        var notice = AccountMail.Notice(address, language, change, time.GetUtcNow(), mailOptions.Value.Smtp.FromName, account.SubjectId);
        return (await mail.SendAsync(notice, cancellationToken)).Outcome == VaultOutcome.Ok;
    }
}
