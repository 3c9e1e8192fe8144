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
        var jwks = new Option<FileInfo?>("--jwks") { Description = "The signing keys to trust, as a JWKS file kept elsewhere (saved from /.well-known/jwks.json). Default: the keys in the vault database beside the audit file." };
        var vaultDatabase = new Option<FileInfo?>("--vault-database") { Description = "The vault database whose signing keys to trust. Default: datavault.db beside the audit file." };
        var verify = new Command("verify", "Verify the hash chain and signed checkpoints; exit code 3 and the first bad sequence number if anything was changed.") { database, checkpoints, jwks, vaultDatabase };
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
            Dictionary<string, string> trusted;
            if (parse.GetValue(jwks) is { } keyFile)
            {
                trusted = AuditVerifier.ReadJwks(File.ReadAllText(keyFile.FullName));
            }
            else
            {
                var vaultFile = parse.GetValue(vaultDatabase) ?? new FileInfo(Path.Combine(file.DirectoryName!, "datavault.db"));
                if (!vaultFile.Exists)
                {
                    parse.InvocationConfiguration.Error.WriteLine($"No signing keys to trust: give --jwks or --vault-database ({vaultFile.FullName} does not exist).");
                    return 1;
                }

                using var vault = OpenReadOnly(vaultFile.FullName);
                trusted = AuditVerifier.ReadSigningKeys(vault);
            }

            using var connection = OpenReadOnly(file.FullName);
            var result = AuditVerifier.Verify(connection, trusted, external);
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

    private static SqliteConnection OpenReadOnly(string path)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
