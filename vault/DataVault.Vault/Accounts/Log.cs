using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Accounts;

/// <summary>Log messages of accounts and invitations: ids only, never tokens, passwords or e-mail addresses.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1501, Level = LogLevel.Information, Message = "Invitation {InvitationId} created for subject {SubjectId} by client {ClientId}; expires {ExpiresAt:o}; {RevokedCount} earlier unused invitations revoked")]
    public static partial void InvitationCreated(ILogger logger, string invitationId, string subjectId, string clientId, DateTimeOffset expiresAt, int revokedCount);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Information, Message = "Invitation {InvitationId} redeemed: account {AccountId} linked to subject {SubjectId}")]
    public static partial void InvitationRedeemed(ILogger logger, string invitationId, string subjectId, string accountId);

    [LoggerMessage(EventId = 1503, Level = LogLevel.Warning, Message = "An activation was refused: the invitation ({InvitationId}) is unknown, used, revoked or expired, or its subject is erased or already has an account")]
    public static partial void ActivationRefused(ILogger logger, string? invitationId);

    [LoggerMessage(EventId = 1504, Level = LogLevel.Information, Message = "The portal account of subject {SubjectId} was deleted with its erasure")]
    public static partial void AccountErased(ILogger logger, string subjectId);

    [LoggerMessage(EventId = 1505, Level = LogLevel.Information, Message = "Password reset link {ResetId} e-mailed for account {AccountId}; expires {ExpiresAt:o}")]
    public static partial void PasswordResetSent(ILogger logger, string resetId, string accountId, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 1506, Level = LogLevel.Warning, Message = "A password reset was refused: the link ({ResetId}) is unknown, used, revoked or expired, or its account has gone or is disabled")]
    public static partial void PasswordResetRefused(ILogger logger, string? resetId);

    [LoggerMessage(EventId = 1507, Level = LogLevel.Information, Message = "Password of account {AccountId} reset with link {ResetId}")]
    public static partial void PasswordReset(ILogger logger, string resetId, string accountId);

    [LoggerMessage(EventId = 1511, Level = LogLevel.Information, Message = "Staff account {AccountId} created with role {Role}")]
    public static partial void OfficerAdded(ILogger logger, string accountId, string role);

    [LoggerMessage(EventId = 1512, Level = LogLevel.Information, Message = "Staff account {AccountId} disabled")]
    public static partial void OfficerDisabled(ILogger logger, string accountId);
}
