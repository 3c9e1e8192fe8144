using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>
/// Rate limits for sign-in (password and two-factor code), per client address and per account. It
/// sits in front of Identity's lockout: lockout stops guessing one account's password, the address
/// limit stops one client from sweeping many accounts, and the account limit stops a botnet from
/// keeping one account locked for ever. Limits are per instance, in memory.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _perAddress;
    private readonly PartitionedRateLimiter<string> _perAccount;

    public SignInThrottle(IOptions<PortalOptions> options)
    {
        var settings = options.Value;
        _perAddress = Create(settings.SignInAttemptsPerAddressPerMinute);
        _perAccount = Create(settings.SignInAttemptsPerAccountPerMinute);
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

    /// <summary>Marks the response 429 with <c>Retry-After</c> in whole seconds (RFC 9110 §10.2.3).</summary>
    public static void WriteTooManyRequests(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
    }

    public void Dispose()
    {
        _perAddress.Dispose();
        _perAccount.Dispose();
    }

    private static PartitionedRateLimiter<string> Create(int perMinute) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => new FixedWindowRateLimiterOptions { PermitLimit = perMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1);
}
