using System.CommandLine;
using System.Globalization;
using DataVault.Vault.Audit;
using DataVault.Vault.Retention;

namespace DataVault.Api.Cli;

/// <summary><c>retention preview [--at DATE]</c>: what the retention sweep would destroy, and why.</summary>
internal static class RetentionCommands
{
    public static Command Create(IServiceProvider services)
    {
        var retention = new Command("retention", "Storage limitation (GDPR Art. 5(1)(e)): what the retention sweep destroys.");
        retention.Subcommands.Add(Preview(services));
        return retention;
    }

    private static Command Preview(IServiceProvider services)
    {
        var at = new Option<DateTimeOffset?>("--at") { Description = "The instant to preview for, ISO 8601 (e.g. 2027-01-01 or 2027-01-01T00:00:00Z); default: now." };
        var command = new Command("preview", "List what a retention sweep at --at would destroy, subject by subject, with the rule that decides it; never a value.") { at };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var instant = parse.GetValue(at) ?? services.GetRequiredService<TimeProvider>().GetUtcNow();

            // Subject ids and field names are read: the access is on record before the answer is shown.
            await services.GetRequiredService<AuditRecorder>().RecordAsync(
                new AuditEvent(Actor.System(AuditActors.CommandLine), AuditActions.RetentionPreview, Fields: "at:" + instant.ToString("O", CultureInfo.InvariantCulture)),
                AuditOutcomes.Success,
                cancellationToken);
            var plans = await scope.ServiceProvider.GetRequiredService<RetentionEngine>().PreviewAsync(instant, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"At {instant:O}: {plans.Count} subjects would lose data."));
            foreach (var plan in plans)
            {
                await output.WriteLineAsync(plan.LeavesNoData ? $"{plan.SubjectId} (left with no data: tombstone)" : plan.SubjectId);
                foreach (var d in plan.Destructions)
                {
                    var versions = d.Superseded ? $"versions {d.FromVersion}-{d.ThroughVersion} (superseded)" : $"all versions ({d.FromVersion}-{d.ThroughVersion})";
                    var why = d.PurposeId is null ? d.Because : $"{d.Because}, last kept by {d.PurposeId}";
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {d.Field}: {versions}; {why}"));
                }
            }

            return 0;
        });
        return command;
    }
}
