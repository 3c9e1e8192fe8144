using Microsoft.Extensions.Logging;

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
}
