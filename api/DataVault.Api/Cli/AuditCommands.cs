using System.CommandLine;
using System.Text.Json;
using DataVault.Api.Endpoints;
using DataVault.Vault.Audit;
using Microsoft.Data.Sqlite;

namespace DataVault.Api.Cli;

/// <summary><c>audit verify</c>: checks a copy of the audit database offline, without the service.</summary>
internal static class AuditCommands
{
    public const int InvalidExitCode = 3;

    public static Command Create()
    {
        var database = new Argument<FileInfo>("database") { Description = "The audit database file (e.g. data/audit.db or a copy of it)." };
        var checkpoints = new Option<FileInfo?>("--checkpoints") { Description = "Checkpoints exported earlier (JSON from GET /api/v1/audit/checkpoints) to hold the trail against." };
        var verify = new Command("verify", "Verify the hash chain and signed checkpoints; exit code 3 and the first bad sequence number if anything was changed.") { database, checkpoints };
        verify.SetAction(parse =>
        {
            var output = parse.InvocationConfiguration.Output;
            var file = parse.GetValue(database)!;
            if (!file.Exists)
            {
                parse.InvocationConfiguration.Error.WriteLine($"No such file: {file.FullName}");
                return 1;
            }

            var external = parse.GetValue(checkpoints) is { } exported
                ? JsonSerializer.Deserialize<List<AuditCheckpointResponse>>(File.ReadAllText(exported.FullName), JsonSerializerOptions.Web)!.Select(c => c.ToCheckpoint()).ToList()
                : null;
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file.FullName, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
            connection.Open();
            var result = AuditVerifier.Verify(connection, external);
            output.WriteLine($"entries:     {result.Entries}");
            output.WriteLine($"checkpoints: {result.Checkpoints}{(external is null ? string.Empty : $" (+{external.Count} exported)")}");
            if (result.IsValid)
            {
                output.WriteLine("valid:       yes");
                return 0;
            }

            output.WriteLine("valid:       NO");
            output.WriteLine($"first bad:   {result.FirstBadSequence}");
            output.WriteLine($"problem:     {result.Problem}");
            return InvalidExitCode;
        });

        var audit = new Command("audit", "Work with the audit trail.");
        audit.Subcommands.Add(verify);
        return audit;
    }
}
