using DataVault.Vault.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Erasure;

/// <summary>
/// Runs <see cref="RetentionService"/> at <see cref="VaultOptions.RetentionSweepInterval"/>, and at
/// start has the vault writer resume the purge of ciphertexts queued before a restart.
/// </summary>
internal sealed class RetentionSweeper(
    VaultWriter writer,
    IServiceScopeFactory scopes,
    IOptions<VaultOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        writer.SchedulePurge();
        using var timer = new PeriodicTimer(options.Value.RetentionSweepInterval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<RetentionService>().ShredExpiredAsync(stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                // One failed sweep (e.g. the database busy past its timeout) must not stop the next one.
                Log.RetentionSweepFailed(logger, exception);
            }
        }
    }
}
