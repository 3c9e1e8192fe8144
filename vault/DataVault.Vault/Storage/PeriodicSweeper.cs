using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace DataVault.Vault.Storage;

/// <summary>
/// A background sweep: <see cref="SweepAsync"/> in a scope of its own once per <see cref="Interval"/> of the
/// injected clock. One failed sweep (e.g. the database busy past its timeout) is reported through
/// <see cref="SweepFailed"/> and does not stop the next one.
/// </summary>
internal abstract class PeriodicSweeper(IServiceScopeFactory scopes, TimeProvider time) : BackgroundService
{
    protected abstract TimeSpan Interval { get; }

    protected abstract Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken);

    protected abstract void SweepFailed(Exception exception);

    /// <summary>Runs once as the service starts, before the first interval.</summary>
    protected virtual void Starting()
    {
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        Starting();
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await SweepAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                SweepFailed(exception);
            }
        }
    }
}
