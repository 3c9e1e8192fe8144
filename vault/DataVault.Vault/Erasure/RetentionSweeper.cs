using DataVault.Vault.Retention;
using DataVault.Vault.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Erasure;

/// <summary>
/// Runs the retention sweep (<see cref="RetentionEngine.SweepAsync"/>: legal holds that ended, then what the retention
/// rule says must go) at <see cref="RetentionOptions.SweepInterval"/>, and at start has the vault writer resume the
/// purge of ciphertexts queued before a restart.
/// </summary>
internal sealed class RetentionSweeper(
    VaultWriter writer,
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider time,
    ILogger<RetentionSweeper> logger) : PeriodicSweeper(scopes, time)
{
    protected override TimeSpan Interval => options.Value.SweepInterval;

    protected override void Starting() => writer.SchedulePurge();

    protected override Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<RetentionEngine>().SweepAsync(cancellationToken);

    protected override void SweepFailed(Exception exception) => Log.RetentionSweepFailed(logger, exception);
}
