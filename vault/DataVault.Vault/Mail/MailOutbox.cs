using System.Text.Json;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace DataVault.Vault.Mail;

/// <summary>
/// Row of <c>mail_outbox</c>: a message waiting for delivery. Its address and bodies are stored only
/// protected by Data Protection (<see cref="MailOutbox.Protect"/>), since they are personal data and may
/// hold a secret link; the row is deleted as soon as the message is delivered or given up.
/// </summary>
internal sealed class MailOutboxRecord
{
    public required string Id { get; init; }

    public required string Kind { get; init; }

    public string? SubjectId { get; init; }

    /// <summary>The data-subject request the message is a notice about, if any.</summary>
    public string? RequestId { get; init; }

    /// <summary>The recipient as <see cref="MailAddressMask"/> shows it, for audit entries written without unprotecting the message.</summary>
    public required string RecipientMask { get; init; }

    public required byte[] Message { get; init; }

    public required DateTimeOffset QueuedAt { get; init; }

    /// <summary>Delivery attempts started so far.</summary>
    public required int Attempts { get; init; }

    /// <summary>When the next attempt is due; an attempt in progress has already moved it to the retry after it.</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }
}

/// <summary>
/// The <see cref="IMailChannel"/>: checks the message, protects it and commits it to the outbox through
/// the <see cref="VaultWriter"/> (so a message about a subject is never queued after that subject's
/// erasure), then wakes the <see cref="MailDelivery"/>.
/// </summary>
internal sealed class MailOutbox(
    VaultWriter writer,
    IDataProtectionProvider dataProtection,
    MailOutboxSignal signal,
    TimeProvider time,
    ILogger<MailOutbox> logger) : IMailChannel
{
    /// <summary>Versioned envelope prefix, so the storage format can change without guessing.</summary>
    private static readonly byte[] Envelope = "mo1:"u8.ToArray();

    private readonly IDataProtector _protector = dataProtection.CreateProtector("DataVault.Vault.MailOutbox.v1");

    public async Task<VaultResult<QueuedMail>> SendAsync(OutgoingMail mail, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mail);
        if (!MailboxAddress.TryParse(mail.To, out var parsed) || parsed.Address.IndexOf('@', StringComparison.Ordinal) <= 0)
        {
            return VaultResult<QueuedMail>.Invalid(new Dictionary<string, string[]> { ["to"] = ["Is not an e-mail address."] });
        }

        var record = Prepare(mail, requestId: null);
        var id = record.Id;
        switch (await writer.WriteAsync(new QueueMailWrite(record), cancellationToken))
        {
            case VaultOutcome.NotFound:
                return VaultResult<QueuedMail>.NotFound();
            case VaultOutcome.Gone:
                return VaultResult<QueuedMail>.Gone();
        }

        Log.MailQueued(logger, id, mail.Kind, mail.SubjectId);
        signal.Notify();
        return VaultResult<QueuedMail>.Ok(new QueuedMail(id, record.RecipientMask));
    }

    /// <summary>
    /// The outbox row of <paramref name="mail"/>, due at once, for a write that queues it in its own transaction
    /// (<see cref="QueueMailWrite.Insert"/>); call <see cref="MailOutboxSignal.Notify"/> once it is committed.
    /// </summary>
    public MailOutboxRecord Prepare(OutgoingMail mail, string? requestId)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var now = time.GetUtcNow();
        var id = RecordId.New(time);
        return new MailOutboxRecord
        {
            Id = id,
            Kind = mail.Kind,
            SubjectId = mail.SubjectId,
            RequestId = requestId,
            RecipientMask = MailAddressMask.Mask(mail.To),
            Message = Protect(id, mail),
            QueuedAt = now,
            Attempts = 0,
            NextAttemptAt = now,
        };
    }

    /// <summary>The message's address, subject, bodies and language, protected for this row only (the id is part of the purpose, so a copy cannot be moved to another row).</summary>
    public byte[] Protect(string id, OutgoingMail mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var json = JsonSerializer.SerializeToUtf8Bytes(new StoredMessage(mail.To, mail.Subject, mail.TextBody, mail.HtmlBody, mail.Language));
        return [.. Envelope, .. _protector.CreateProtector(id).Protect(json)];
    }

    /// <summary>The message of an outbox row, as <see cref="Protect"/> stored it.</summary>
    public OutgoingMail Unprotect(MailOutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (!record.Message.AsSpan().StartsWith(Envelope))
        {
            throw new InvalidDataException("A queued message is stored in an unknown format.");
        }

        var json = _protector.CreateProtector(record.Id).Unprotect(record.Message[Envelope.Length..]);
        var stored = JsonSerializer.Deserialize<StoredMessage>(json) ?? throw new InvalidDataException("A queued message is empty.");
        return new OutgoingMail(stored.To, stored.Subject, stored.TextBody, stored.HtmlBody, stored.Language, record.Kind, record.SubjectId);
    }

    private sealed record StoredMessage(string To, string Subject, string TextBody, string? HtmlBody, string Language);
}

/// <summary>Wakes the <see cref="MailDelivery"/> when a message was queued in this process.</summary>
internal sealed class MailOutboxSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: the sender will look at the whole outbox anyway.
        }
    }

    /// <summary>Waits for <see cref="Notify"/> or at most <paramref name="timeout"/>.</summary>
    public Task WaitAsync(TimeSpan timeout, CancellationToken cancellationToken) => _signal.WaitAsync(timeout, cancellationToken);

    public void Dispose() => _signal.Dispose();
}

/// <summary>Inserts a message into the outbox, unless the subject it concerns is unknown or erased.</summary>
internal sealed class QueueMailWrite(MailOutboxRecord record) : VaultWrite<VaultOutcome>
{
    protected override VaultOutcome Execute(VaultWriteContext context)
    {
        if (record.SubjectId is { } subjectId && SubjectRows.Check(context, subjectId) is var subject && subject != VaultOutcome.Ok)
        {
            return subject;
        }

        Insert(context, record);
        return VaultOutcome.Ok;
    }

    /// <summary>Inserts <paramref name="record"/> in the current write's transaction, so a notice commits with the change it reports, or not at all.</summary>
    public static void Insert(VaultWriteContext context, MailOutboxRecord record)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(record);
        context.Execute(
            "INSERT INTO mail_outbox (id, kind, subject_id, request_id, recipient_mask, message, queued_at, attempts, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);",
            record.Id,
            record.Kind,
            record.SubjectId,
            record.RequestId,
            record.RecipientMask,
            record.Message,
            record.QueuedAt,
            record.Attempts,
            record.NextAttemptAt);
    }

    protected override bool Keeps(VaultOutcome result) => result == VaultOutcome.Ok;
}

/// <summary>
/// Takes a message for one delivery attempt: counts the attempt and moves its next attempt to the retry
/// after it, before anything is sent, so a process that dies while sending leaves it due for a retry and
/// another sender (another instance) that read the same row does not take it too.
/// </summary>
internal sealed class ClaimMailWrite(string id, int attemptsSeen, DateTimeOffset retryAt) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context) =>
        context.Execute(
            "UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $3 WHERE id = $1 AND attempts = $2;",
            id,
            attemptsSeen,
            retryAt) == 1;
}

/// <summary>Deletes a message that was delivered or given up.</summary>
internal sealed class RemoveMailWrite(string id) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context) =>
        context.Execute("DELETE FROM mail_outbox WHERE id = $1;", id) == 1;
}
