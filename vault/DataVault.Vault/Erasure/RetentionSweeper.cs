using DataVault.Vault.Storage;
using Microsoft.Extensions.DependencyInjection;
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
    ILogger<RetentionSweeper> logger) : PeriodicSweeper(scopes, time)
{
    protected override TimeSpan Interval => options.Value.RetentionSweepInterval;

    protected override void Starting() => writer.SchedulePurge();

    protected override Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<RetentionService>().ShredExpiredAsync(cancellationToken);

    protected override void SweepFailed(Exception exception) => Log.RetentionSweepFailed(logger, exception);
}
