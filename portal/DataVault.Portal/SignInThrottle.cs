using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>
/// Rate limits per client address and per account, in fixed windows. Limits are per instance, in memory.
/// </summary>
internal abstract class AttemptThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    protected AttemptThrottle(int perAddress, int perAccount, TimeSpan window)
    {
        _perAddress = Create(perAddress, window);
        _perAccount = Create(perAccount, window);
    }

    /// <summary>Counts one attempt; returns null when it may go ahead, else how long to wait.</summary>
    /// <param name="context">The request; its remote address is one partition.</param>
    /// <param name="account">The e-mail address or account id tried, when known; compared case-insensitively.</param>
    public TimeSpan? Attempt(HttpContext context, string? account)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        using (var lease = _perAddress.AttemptAcquire(address))
        {
            if (!lease.IsAcquired)
            {
                return RetryAfter(lease);
            }
        }

        if (string.IsNullOrWhiteSpace(account))
        {
            return null;
        }

        using var accountLease = _perAccount.AttemptAcquire(account.Trim().ToUpperInvariant());
        return accountLease.IsAcquired ? null : RetryAfter(accountLease);
    }

    /// <summary>
    /// Counts one attempt (<see cref="Attempt"/>); when it may not go ahead, answers 429 with <c>Retry-After</c>,
    /// puts <paramref name="message"/> before the form and logs the refusal. Returns whether it was refused.
    /// </summary>
    public bool Refused(HttpContext context, string? account, ModelStateDictionary errors, string message, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (Attempt(context, account) is not { } wait)
        {
            return false;
        }

        Log.SignInThrottled(logger, wait);
        WriteTooManyRequests(context.Response, wait);
        errors.AddModelError(string.Empty, message);
        return true;
    }

    /// <summary>Marks the response 429 with <c>Retry-After</c> in whole seconds (RFC 9110 §10.2.3).</summary>
    public static void WriteTooManyRequests(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _perAddress.Dispose();
            _perAccount.Dispose();
        }
    }

    private static PartitionedRateLimiter<string> Create(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 }));

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
}

/// <summary>
/// Rate limits for sign-in and for asking again for the password or a code (re-authentication), per client
/// address and per account, per minute. They sit in front of Identity's lockout: lockout stops guessing one
/// account's password, the address limit stops one client from sweeping many accounts, and the account limit
/// stops a botnet from keeping one account locked for ever.
/// </summary>
internal sealed class SignInThrottle(IOptions<PortalOptions> options) : AttemptThrottle(
    options.Value.SignInAttemptsPerAddressPerMinute, options.Value.SignInAttemptsPerAccountPerMinute, TimeSpan.FromMinutes(1));

/// <summary>
/// Rate limits for "forgot password" requests, per client address and per address typed, per hour: no one
/// can flood a mailbox with reset links, nor sweep addresses. A request over the limit gets 429, whether or
/// not an account uses the address, so the limit tells nothing about which addresses exist.
/// </summary>
internal sealed class PasswordResetThrottle(IOptions<PortalOptions> options) : AttemptThrottle(
    options.Value.PasswordResetRequestsPerAddressPerHour, options.Value.PasswordResetRequestsPerAccountPerHour, TimeSpan.FromHours(1));
