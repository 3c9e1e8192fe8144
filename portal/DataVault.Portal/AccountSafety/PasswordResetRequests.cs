using System.Threading.Channels;
using DataVault.Vault;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.AccountSafety;

/// <summary>
/// "Forgot password" requests are handled after the page has answered, in the background: the page says the
/// same thing, just as fast, whether or not an account uses the address typed, since looking the account up,
/// making a link and queuing the message take time that would otherwise tell the two apart. The queue is
/// bounded and in memory: a request lost in a restart or a flood is simply asked again, and the answer never
/// depends on it. Each request is audited with its outcome (<see cref="AuditActions.AccountPasswordResetRequest"/>):
/// by the account when there is one, anonymously otherwise, never naming the address.
/// </summary>
internal sealed class PasswordResetRequests(IServiceScopeFactory scopes, PortalAudit audit, PublicOrigin origin, ILogger<PasswordResetRequests> logger)
    : BackgroundService
{
    private const int Capacity = 1000;

    private readonly Channel<(string Address, string Language)> _queue =
        Channel.CreateBounded<(string, string)>(new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    /// <summary>Takes a request for handling; false when the queue is full (the request is dropped).</summary>
    public bool TryQueue(string address, string language)
    {
        var queued = _queue.Writer.TryWrite((address, language));
        if (!queued)
        {
            Log.PasswordResetQueueFull(logger);
        }

        return queued;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (address, language) in _queue.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    await HandleAsync(address, language, stoppingToken);
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    Log.PasswordResetRequestFailed(logger, exception);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: requests still queued are dropped; whoever sent them asks again.
        }
    }

    private async Task HandleAsync(string address, string language, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var resets = scope.ServiceProvider.GetRequiredService<PasswordResetService>();
        var request = await resets.RequestAsync(address, language, PortalLinks.PasswordResetPage(origin), cancellationToken);
        var outcome = request.Outcome switch
        {
            PasswordResetRequestOutcome.Sent => AuditOutcomes.Success,
            PasswordResetRequestOutcome.Disabled => AuditOutcomes.Denied,
            _ => AuditOutcomes.NotFound,
        };
        var recorded = request.Account is { } account
            ? await audit.RecordAsync(account, AuditActions.AccountPasswordResetRequest, outcome, cancellationToken)
            : await audit.RecordAnonymousAsync(AuditActions.AccountPasswordResetRequest, outcome, cancellationToken);
        if (!recorded)
        {
            // The message itself is audited as it is delivered (mail.send); only the request's own entry is missing.
            Log.PasswordResetRequestUnaudited(logger, outcome);
        }
    }
}
