using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Cli;

/// <summary>
/// Audit entries of the administration verbs, made as every change's are (<see cref="AuditRecorder.RecordChangeAsync"/>):
/// recorded as attempted before it is made (so a change never exists without a trace; if the trail cannot be written
/// the verb stops before changing anything) and with its outcome afterwards. Entries name ids, never secrets or passwords.
/// </summary>
internal static class CliAudit
{
    /// <summary>The actor of the verbs' entries: the vault's command line.</summary>
    private static readonly Actor Cli = Actor.System(AuditActors.CommandLine);

    /// <summary>
    /// Runs <paramref name="change"/> as <paramref name="action"/> on <paramref name="target"/> (an id, or null when the
    /// verb names something that is not an id, such as an e-mail address), recording the attempt and then the outcome
    /// and target <paramref name="outcome"/> gives for the result.
    /// </summary>
    public static Task<T> ChangeAsync<T>(
        IServiceProvider services, string action, string? target, Func<Task<T>> change, Func<T, (string Outcome, string? Target)> outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        var entry = new AuditEvent(Cli, action, Fields: target);
        return services.GetRequiredService<AuditRecorder>().RecordChangeAsync(
            entry,
            change,
            result =>
            {
                var (code, done) = outcome(result);
                return (entry with { Fields = done }, code);
            },
            cancellationToken);
    }

    /// <summary>As the other overload, for a vault result: its outcome, and the id <paramref name="changed"/> gives for a value (else the target given).</summary>
    public static Task<VaultResult<T>> ChangeAsync<T>(
        IServiceProvider services, string action, string? target, Func<Task<VaultResult<T>>> change, Func<T, string> changed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(changed);
        return ChangeAsync(services, action, target, change, result => (AuditOutcomes.From(result.Outcome), result.Value is { } value ? changed(value) : target), cancellationToken);
    }
}
