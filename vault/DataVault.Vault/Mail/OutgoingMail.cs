using DataVault.Vault.Subjects;

namespace DataVault.Vault.Mail;

/// <summary>
/// A message for the <see cref="IMailChannel"/>. Its bodies carry nothing personal beyond what the
/// recipient already has (no field values; a link when the message is about one), and may carry a
/// secret such as an activation link, so neither they nor the address ever reach a log or the audit
/// trail: <see cref="ToString"/> hides them.
/// </summary>
/// <param name="To">The recipient's address.</param>
/// <param name="Subject">The subject line.</param>
/// <param name="TextBody">The plain-text body.</param>
/// <param name="HtmlBody">An HTML alternative of the same text, or null.</param>
/// <param name="Language">The language of the message (BCP 47, e.g. <c>en</c>), sent as <c>Content-Language</c> (RFC 3282).</param>
/// <param name="Kind">What the message is about, a stable code for the audit trail (e.g. <c>invitation</c>).</param>
/// <param name="SubjectId">The data subject the message concerns, if any: its audit entries name it, and its erasure deletes the message if still queued.</param>
public sealed record OutgoingMail(string To, string Subject, string TextBody, string? HtmlBody, string Language, string Kind, string? SubjectId)
{
    public override string ToString() => $"OutgoingMail {{ To = {MailAddressMask.Mask(To)}, Kind = {Kind}, SubjectId = {SubjectId}, Language = {Language} }}";
}

/// <summary>A message accepted by the <see cref="IMailChannel"/>: durable in the outbox, to be delivered in the background.</summary>
/// <param name="Id">The outbox id of the message.</param>
/// <param name="MaskedRecipient">Where it goes, masked (<c>a***@example.com</c>), for answers and audit entries.</param>
public sealed record QueuedMail(string Id, string MaskedRecipient);

/// <summary>
/// The vault's outbound e-mail. <see cref="SendAsync"/> puts the message into the durable outbox and
/// returns as soon as it is committed; a background sender delivers it (SMTP through MailKit, or
/// <c>.eml</c> files in a pickup directory), retries a failed delivery with growing delays, and audits
/// every attempt (<c>mail.send</c>, recipient masked). So a slow or unreachable mail server never holds
/// up a request, and a message accepted here survives a restart.
/// </summary>
public interface IMailChannel
{
    /// <summary>
    /// Queues <paramref name="mail"/> and completes once it is durable in the outbox. Invalid when its
    /// address cannot be one; not found or gone when the subject it concerns is unknown or erased (then
    /// nothing is queued).
    /// </summary>
    Task<VaultResult<QueuedMail>> SendAsync(OutgoingMail mail, CancellationToken cancellationToken);
}
