namespace DataVault.Portal;

/// <summary>Log messages of the portal: account ids only, never e-mail addresses, passwords, codes or tokens.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Account {AccountId} signed in to the portal")]
    public static partial void SignedIn(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Account {AccountId} signed out of the portal")]
    public static partial void SignedOut(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "A portal sign-in attempt was rate limited; retry after {RetryAfter}")]
    public static partial void SignInThrottled(ILogger logger, TimeSpan retryAfter);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Account {AccountId} turned two-factor sign-in on")]
    public static partial void TwoFactorEnabled(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Account {AccountId} turned two-factor sign-in off")]
    public static partial void TwoFactorDisabled(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Information, Message = "Account {AccountId} activated from an invitation and signed in")]
    public static partial void Activated(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Warning, Message = "A password reset request was dropped: too many are waiting to be handled")]
    public static partial void PasswordResetQueueFull(ILogger logger);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Warning, Message = "A password reset request ({Outcome}) could not be audited")]
    public static partial void PasswordResetRequestUnaudited(ILogger logger, string outcome);

    [LoggerMessage(EventId = 3009, Level = LogLevel.Error, Message = "A password reset request could not be handled")]
    public static partial void PasswordResetRequestFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Account {AccountId} set a new password with a reset link")]
    public static partial void PasswordReset(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Account {AccountId} signed in with a recovery code")]
    public static partial void SignedInWithRecoveryCode(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3012, Level = LogLevel.Information, Message = "Account {AccountId} made new recovery codes")]
    public static partial void RecoveryCodesGenerated(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3013, Level = LogLevel.Warning, Message = "The notice of a change to account {AccountId} could not be queued: no e-mail address on record")]
    public static partial void AccountNoticeNotSent(ILogger logger, string accountId);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Request {RequestId} ({Type}, by {Channel}) recorded at the desk")]
    public static partial void RequestRecordedAtDesk(ILogger logger, string requestId, string type, string channel);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Request {RequestId} changed at the desk: {Change}")]
    public static partial void RequestChangedAtDesk(ILogger logger, string requestId, string change);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Information, Message = "Request {RequestId} ({Type}) opened by its subject in the portal")]
    public static partial void RequestOpenedInPortal(ILogger logger, string requestId, string type);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Request {RequestId} withdrawn by its subject in the portal")]
    public static partial void RequestWithdrawnInPortal(ILogger logger, string requestId);
}
