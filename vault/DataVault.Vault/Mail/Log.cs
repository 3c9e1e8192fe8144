using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Mail;

/// <summary>Log messages of the mail channel: outbox ids, kinds and counts, never an address, a subject line or a body.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1601, Level = LogLevel.Information, Message = "Message {MailId} ({Kind}) queued for subject {SubjectId}")]
    public static partial void MailQueued(ILogger logger, string mailId, string kind, string? subjectId);

    [LoggerMessage(EventId = 1602, Level = LogLevel.Information, Message = "Message {MailId} ({Kind}) delivered at attempt {Attempt}")]
    public static partial void MailSent(ILogger logger, string mailId, string kind, int attempt);

    [LoggerMessage(EventId = 1603, Level = LogLevel.Warning, Message = "Message {MailId} ({Kind}) could not be delivered at attempt {Attempt}: {Reason}; next attempt at {RetryAt:o}")]
    public static partial void MailAttemptFailed(ILogger logger, string mailId, string kind, int attempt, string reason, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1604, Level = LogLevel.Error, Message = "Message {MailId} ({Kind}) given up after {Attempt} attempts: {Reason}; it was deleted from the outbox")]
    public static partial void MailGivenUp(ILogger logger, string mailId, string kind, int attempt, string reason);

    [LoggerMessage(EventId = 1605, Level = LogLevel.Warning, Message = "No SMTP server is configured (Mail:Smtp:Host): e-mails are written as .eml files under {Directory}")]
    public static partial void MailWrittenToDirectory(ILogger logger, string directory);

    [LoggerMessage(EventId = 1606, Level = LogLevel.Information, Message = "Outbound e-mail goes to {Transport}")]
    public static partial void MailTransport(ILogger logger, string transport);

    [LoggerMessage(EventId = 1607, Level = LogLevel.Error, Message = "The mail outbox could not be delivered this round ({ExceptionType}); its messages stay queued")]
    public static partial void MailRoundFailed(ILogger logger, string exceptionType);

    [LoggerMessage(EventId = 1608, Level = LogLevel.Warning, Message = "The audit entry ({Outcome}) of message {MailId} could not be written; a message whose attempt is not on record is not sent, and waits for its next attempt")]
    public static partial void MailAuditUnavailable(ILogger logger, string mailId, string outcome);
}
