using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using MailKit;
using MailKit.Net.Smtp;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Mail;

/// <summary>
/// Delivers the outbox in the background: whenever a message is queued, and every
/// <see cref="MailOptions.PollInterval"/> for retries and for messages queued by another process. Each
/// attempt is claimed first (<see cref="ClaimMailWrite"/>), audited as attempted, sent, then audited with
/// its outcome (<c>mail.send</c>, the recipient masked, never the body). A failed attempt is retried after
/// <see cref="MailOptions.RetryDelay"/>, doubling up to an hour, until <see cref="MailOptions.MaxAttempts"/>;
/// then the message is deleted, since it holds an address and possibly a working link.
/// </summary>
internal sealed class MailDelivery(
    IServiceScopeFactory scopes,
    VaultWriter writer,
    MailOutbox outbox,
    MailOutboxSignal signal,
    IMailTransport transport,
    AuditRecorder audit,
    IOptions<MailOptions> options,
    TimeProvider time,
    ILogger<MailDelivery> logger) : BackgroundService
{
    /// <summary>The actor of <c>mail.send</c> entries: the vault itself sends.</summary>
    public const string ActorId = AuditActors.MailSender;

    private const int MessagesPerRound = 50;

    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(1);

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        if (transport is PickupDirectoryMailTransport pickup && string.IsNullOrWhiteSpace(options.Value.PickupDirectory))
        {
            Log.MailWrittenToDirectory(logger, pickup.Directory);
        }
        else
        {
            Log.MailTransport(logger, transport.Description);
        }

        return base.StartAsync(cancellationToken);
    }

    /// <summary>Delivers every message that is due now; returns when the next one will be due, if any is queued.</summary>
    public async Task<DateTimeOffset?> DeliverDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        List<MailOutboxRecord> due;
        var now = time.GetUtcNow();
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            due = await db.MailOutbox.AsNoTracking()
                .Where(m => m.NextAttemptAt <= now)
                .OrderBy(m => m.NextAttemptAt)
                .Take(MessagesPerRound)
                .ToListAsync(cancellationToken);
        }

        try
        {
            foreach (var record in due)
            {
                await AttemptAsync(record, settings, cancellationToken);
            }
        }
        finally
        {
            await transport.EndRoundAsync(cancellationToken);
        }

        if (due.Count == MessagesPerRound)
        {
            return time.GetUtcNow();
        }

        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VaultDbContext>();
            return await db.MailOutbox.AsNoTracking().OrderBy(m => m.NextAttemptAt).Select(m => (DateTimeOffset?)m.NextAttemptAt).FirstOrDefaultAsync(cancellationToken);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var poll = options.Value.PollInterval;
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = poll;
            try
            {
                if (await DeliverDueAsync(stoppingToken) is { } next)
                {
                    var untilNext = next - time.GetUtcNow();
                    wait = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext < poll ? untilNext : poll;
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The outbox could not be read or a claim not written: the messages stay queued for the next round.
                Log.MailRoundFailed(logger, exception.GetType().Name);
            }

            try
            {
                await signal.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task AttemptAsync(MailOutboxRecord record, MailOptions settings, CancellationToken cancellationToken)
    {
        var attempt = record.Attempts + 1;
        var retryAt = time.GetUtcNow() + RetryDelay(settings.RetryDelay, attempt);
        if (!await writer.WriteAsync(new ClaimMailWrite(record.Id, record.Attempts, retryAt), cancellationToken))
        {
            // Delivered, given up or taken by another sender since it was read.
            return;
        }

        // Fail closed: a message whose attempt cannot be put on record is not sent now; its claim made it due again later.
        var entry = new AuditEvent(Actor.System(ActorId), AuditActions.MailSend, record.SubjectId, Fields: $"kind:{record.Kind},to:{record.RecipientMask}");
        var recording = AuditOutcomes.Attempted;
        try
        {
            await audit.RecordChangeAsync(
                entry,
                () => DeliverAsync(record, settings, attempt, retryAt, cancellationToken),
                outcome =>
                {
                    recording = outcome;
                    return (entry, outcome);
                },
                cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            Log.MailAuditUnavailable(logger, record.Id, recording);
        }
    }

    /// <summary>Sends the message once: <see cref="AuditOutcomes.Success"/> when the server took it, <see cref="AuditOutcomes.Failed"/> when it is to be tried again or given up.</summary>
    private async Task<string> DeliverAsync(MailOutboxRecord record, MailOptions settings, int attempt, DateTimeOffset retryAt, CancellationToken cancellationToken)
    {
        try
        {
            var message = MailMessages.Build(outbox.Unprotect(record), settings.Smtp, time.GetUtcNow());
            await transport.SendAsync(message, cancellationToken);
        }
        catch (Exception exception) when (IsDeliveryFailure(exception) && !cancellationToken.IsCancellationRequested)
        {
            var givenUp = attempt >= settings.MaxAttempts;
            if (givenUp)
            {
                await writer.WriteAsync(new RemoveMailWrite(record.Id), cancellationToken);
                Log.MailGivenUp(logger, record.Id, record.Kind, attempt, Describe(exception));
            }
            else
            {
                Log.MailAttemptFailed(logger, record.Id, record.Kind, attempt, Describe(exception), retryAt);
            }

            return AuditOutcomes.Failed;
        }

        await writer.WriteAsync(new RemoveMailWrite(record.Id), cancellationToken);
        Log.MailSent(logger, record.Id, record.Kind, attempt);
        return AuditOutcomes.Success;
    }

    /// <summary>Attempt n waits <paramref name="first"/> × 2^(n−1) before the next, at most an hour.</summary>
    internal static TimeSpan RetryDelay(TimeSpan first, int attempt)
    {
        var factor = Math.Pow(2, Math.Min(attempt - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(first.Ticks * factor, MaxRetryDelay.Ticks));
        return delay < first ? first : delay;
    }

    /// <summary>Failures of one message (the server, the network, the stored message); anything else is a bug and stops the round.</summary>
    private static bool IsDeliveryFailure(Exception exception) =>
        exception is IOException or System.Net.Sockets.SocketException or TimeoutException or OperationCanceledException
            or SmtpCommandException or SmtpProtocolException or ServiceNotConnectedException or ServiceNotAuthenticatedException
            or MailKit.Security.AuthenticationException or MailKit.Security.SslHandshakeException or System.Security.Authentication.AuthenticationException
            or System.Security.Cryptography.CryptographicException or InvalidDataException or FormatException or UnauthorizedAccessException;

    /// <summary>What went wrong, without the server's free-text answer (which may quote the address).</summary>
    private static string Describe(Exception exception) => exception switch
    {
        SmtpCommandException command => $"SMTP {(int)command.StatusCode} ({command.ErrorCode})",
        _ => exception.GetType().Name,
    };
}
