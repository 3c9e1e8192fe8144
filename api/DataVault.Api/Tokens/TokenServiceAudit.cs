using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore;
using OpenIddict.Server;
using OAuth = OpenIddict.Abstractions.OpenIddictConstants;
using static OpenIddict.Server.AspNetCore.OpenIddictServerAspNetCoreHandlers;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace DataVault.Api.Tokens;

/// <summary>The token service's counters (<c>DataVault.TokenService</c>), for dashboards and alerts on failed attempts.</summary>
internal sealed class TokenServiceMetrics
{
    public const string MeterName = "DataVault.TokenService";

    private readonly Counter<long> _requests;
    private readonly Counter<long> _failures;
    private readonly Counter<long> _rateLimited;

    public TokenServiceMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("datavault.oauth.requests", description: "Requests answered by the token, revocation and introspection endpoints.");
        _failures = meter.CreateCounter<long>("datavault.oauth.failures", description: "Requests to those endpoints answered with an OAuth error, by error and by whether the client authenticated.");
        _rateLimited = meter.CreateCounter<long>("datavault.oauth.rate_limited", description: "Requests to /connect refused by the rate limits.");
    }

    public void Answered(string endpoint, string? error, bool authenticated)
    {
        _requests.Add(1, new("endpoint", endpoint), new("outcome", error is null ? "success" : "failure"));
        if (error is not null)
        {
            _failures.Add(1, new("endpoint", endpoint), new("error", error), new("authenticated", authenticated));
        }
    }

    public void RateLimited(string endpoint) => _rateLimited.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));
}

/// <summary>
/// Failed requests of callers that did not authenticate, counted per remote address and minute until
/// <see cref="TokenFailureAudit"/> writes them as one audit entry each: anyone can send such requests,
/// and an entry per request would let them fill the trail. Bounded: beyond 10,000 address-minutes the
/// rest is counted under <c>other</c>.
/// </summary>
internal sealed class FailedTokenRequests(TimeProvider time)
{
    private const int MaxKeys = 10_000;
    private const int MaxNamedClients = 10;

    private readonly ConcurrentDictionary<(string Address, long Minute), ConcurrentDictionary<string, int>> _counts = new();

    /// <summary>Counts a failure with <paramref name="error"/>, naming <paramref name="registeredClientId"/> if the caller gave a registered one.</summary>
    public void Count(string address, string error, string? registeredClientId)
    {
        var minute = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        var key = (address, minute);
        if (!_counts.ContainsKey(key) && _counts.Count >= MaxKeys)
        {
            key = ("other", minute);
        }

        var counts = _counts.GetOrAdd(key, _ => new ConcurrentDictionary<string, int>(StringComparer.Ordinal));
        counts.AddOrUpdate(error, 1, (_, n) => n + 1);
        if (registeredClientId is not null && (counts.ContainsKey("client:" + registeredClientId) || counts.Keys.Count(k => k.StartsWith("client:", StringComparison.Ordinal)) < MaxNamedClients))
        {
            counts.AddOrUpdate("client:" + registeredClientId, 1, (_, n) => n + 1);
        }
    }

    /// <summary>The summaries of the minutes that are over (all of them when <paramref name="all"/>), each with the key to <see cref="Remove"/> once written.</summary>
    public IReadOnlyList<((string Address, long Minute) Key, AuditEvent Summary)> Completed(bool all)
    {
        var current = time.GetUtcNow().ToUnixTimeSeconds() / 60;
        return _counts
            .Where(entry => all || entry.Key.Minute < current)
            .OrderBy(entry => entry.Key.Minute)
            .Select(entry => (entry.Key, Summary(entry.Key.Address, entry.Key.Minute, entry.Value)))
            .ToList();
    }

    public void Remove((string Address, long Minute) key) => _counts.TryRemove(key, out _);

    private static AuditEvent Summary(string address, long minute, ConcurrentDictionary<string, int> counts)
    {
        var window = DateTimeOffset.FromUnixTimeSeconds(minute * 60).ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
        var tally = counts.OrderBy(c => c.Key.StartsWith("client:", StringComparison.Ordinal)).ThenBy(c => c.Key, StringComparer.Ordinal)
            .Select(c => $"{c.Key}={c.Value.ToString(CultureInfo.InvariantCulture)}");
        return new AuditEvent(Actor.Anonymous("address:" + address), AuditActions.TokenFailures, Fields: string.Join(',', [$"window={window}/PT1M", .. tally]));
    }
}

/// <summary>Writes the summaries of <see cref="FailedTokenRequests"/> once their minute is over, and the rest when the service stops. A summary the trail refuses is kept for the next try; requests never wait for it.</summary>
internal sealed class TokenFailureAudit(FailedTokenRequests failures, AuditRecorder recorder, TimeProvider time) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), time, stoppingToken);
                await FlushAsync(all: false, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: StopAsync writes what is left.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await FlushAsync(all: true, cancellationToken);
    }

    private async Task FlushAsync(bool all, CancellationToken cancellationToken)
    {
        foreach (var (key, summary) in failures.Completed(all))
        {
            if (!await recorder.TryRecordAsync(summary, AuditOutcomes.Denied, cancellationToken))
            {
                return;
            }

            failures.Remove(key);
        }
    }
}

/// <summary>Where a request comes from, as the token service counts it: the remote address, an IPv6 address reduced to its /64 (one customer's network).</summary>
internal static class RemoteAddress
{
    public static string Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var address = context.Connection.RemoteIpAddress;
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        bytes[8..].Clear();
        return new IPAddress(bytes).ToString() + "/64";
    }
}

/// <summary>
/// Notes, for the answer, that the client authenticated (a secret or a signed assertion checked): only
/// then is a failure its own audit entry; otherwise anyone could have sent it.
/// </summary>
internal sealed class NoteAuthenticatedClient : IOpenIddictServerHandler<ProcessAuthenticationContext>
{
    public const string Property = "datavault:authenticated-client";

    public static OpenIddictServerHandlerDescriptor Descriptor { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ProcessAuthenticationContext>()
        .UseSingletonHandler<NoteAuthenticatedClient>()
        .SetOrder(OpenIddictServerHandlers.ValidateClientCertificate.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ProcessAuthenticationContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!string.IsNullOrEmpty(context.ClientId) && (!string.IsNullOrEmpty(context.ClientSecret) || context.ClientAssertionPrincipal is not null))
        {
            context.Transaction.Properties[Property] = context.ClientId;
        }

        return ValueTask.CompletedTask;
    }

    public static string? Of(OpenIddictServerTransaction transaction) =>
        transaction.Properties.TryGetValue(Property, out var clientId) ? clientId as string : null;
}

/// <summary>
/// Every answer of the token, revocation and introspection endpoints: counted in the metrics; a failure
/// of an authenticated client recorded as its own audit entry, a failure of anyone else summarised per
/// address and minute (<see cref="FailedTokenRequests"/>); and <c>temporarily_unavailable</c>, which
/// this service answers when the audit trail cannot take an entry, sent as 503 with <c>Retry-After</c>
/// rather than OpenIddict's 400.
/// </summary>
internal sealed class RecordTokenServiceAnswer(TokenServiceMetrics metrics, FailedTokenRequests failures, ClientRegistry clients, AuditRecorder recorder) :
    IOpenIddictServerHandler<ApplyTokenResponseContext>,
    IOpenIddictServerHandler<ApplyRevocationResponseContext>,
    IOpenIddictServerHandler<ApplyIntrospectionResponseContext>
{
    public static OpenIddictServerHandlerDescriptor Token { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyTokenResponseContext>()
        .UseSingletonHandler<RecordTokenServiceAnswer>()
        .SetOrder(AttachHttpResponseCode<ApplyTokenResponseContext>.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor Revocation { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyRevocationResponseContext>()
        .UseSingletonHandler<RecordTokenServiceAnswer>()
        .SetOrder(AttachHttpResponseCode<ApplyRevocationResponseContext>.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor Introspection { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<ApplyIntrospectionResponseContext>()
        .UseSingletonHandler<RecordTokenServiceAnswer>()
        .SetOrder(AttachHttpResponseCode<ApplyIntrospectionResponseContext>.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(ApplyTokenResponseContext context) =>
        RecordAsync(context, "token", AuditActions.TokenIssue, context.Error, context.Request?.ClientId);

    public ValueTask HandleAsync(ApplyRevocationResponseContext context) =>
        RecordAsync(context, "revocation", AuditActions.TokenRevoke, context.Error, context.Request?.ClientId);

    public ValueTask HandleAsync(ApplyIntrospectionResponseContext context) =>
        RecordAsync(context, "introspection", AuditActions.TokenIntrospect, context.Error, context.Request?.ClientId);

    private async ValueTask RecordAsync(BaseRequestContext context, string endpoint, string action, string? error, string? namedClientId)
    {
        var http = context.Transaction.GetHttpRequest()?.HttpContext ?? throw new InvalidOperationException("The token service runs only in ASP.NET Core.");
        var authenticated = NoteAuthenticatedClient.Of(context.Transaction);
        metrics.Answered(endpoint, error, authenticated is not null);
        if (error == OAuth.Errors.TemporarilyUnavailable)
        {
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "5";
            return;
        }

        if (error is null)
        {
            // Issued tokens and introspections are recorded before they are answered; a revocation, which
            // is a change, was recorded as attempted before it was made, and is recorded done now.
            if (action == AuditActions.TokenRevoke && authenticated is not null)
            {
                await recorder.TryRecordAsync(new AuditEvent(Actor.Client(authenticated), action), AuditOutcomes.Success, http.RequestAborted);
            }

            return;
        }

        if (authenticated is null)
        {
            var registered = namedClientId is { Length: <= 100 } id && clients.Find(id) is not null ? id : null;
            failures.Count(RemoteAddress.Of(http), error, registered);
            return;
        }

        var outcome = error is OAuth.Errors.InvalidScope or OAuth.Errors.InvalidRequest ? AuditOutcomes.Invalid : AuditOutcomes.Denied;
        await recorder.TryRecordAsync(new AuditEvent(Actor.Client(authenticated), action, Fields: error), outcome, http.RequestAborted);
    }
}

/// <summary>
/// Every access is audited or refused: an introspection is recorded before it is answered, a revocation
/// as attempted before the token is revoked; if the trail cannot take the entry the request is refused
/// with <c>temporarily_unavailable</c> (503).
/// </summary>
internal sealed class AuditTokenServiceAccess(AuditRecorder recorder) :
    IOpenIddictServerHandler<HandleRevocationRequestContext>,
    IOpenIddictServerHandler<HandleIntrospectionRequestContext>
{
    public static OpenIddictServerHandlerDescriptor Revocation { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleRevocationRequestContext>()
        .UseSingletonHandler<AuditTokenServiceAccess>()
        .SetOrder(OpenIddictServerHandlers.Revocation.RevokeToken.Descriptor.Order - 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public static OpenIddictServerHandlerDescriptor Introspection { get; } = OpenIddictServerHandlerDescriptor.CreateBuilder<HandleIntrospectionRequestContext>()
        .UseSingletonHandler<AuditTokenServiceAccess>()
        .SetOrder(OpenIddictServerHandlers.Introspection.AttachPrincipal.Descriptor.Order + 1)
        .SetType(OpenIddictServerHandlerType.Custom)
        .Build();

    public ValueTask HandleAsync(HandleRevocationRequestContext context) => RecordAsync(context, context.Request.ClientId, AuditActions.TokenRevoke, AuditOutcomes.Attempted);

    public ValueTask HandleAsync(HandleIntrospectionRequestContext context) => RecordAsync(context, context.Request.ClientId, AuditActions.TokenIntrospect, AuditOutcomes.Success);

    private async ValueTask RecordAsync(BaseValidatingContext context, string? clientId, string action, string outcome)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.Transaction.GetHttpRequest()?.HttpContext ?? throw new InvalidOperationException("The token service runs only in ASP.NET Core.");
        if (clientId is null || !await recorder.TryRecordAsync(new AuditEvent(Actor.Client(clientId), action), outcome, http.RequestAborted))
        {
            context.Reject(OAuth.Errors.TemporarilyUnavailable, "The request could not be recorded in the audit trail, so it was refused. Retry later.");
        }
    }
}
