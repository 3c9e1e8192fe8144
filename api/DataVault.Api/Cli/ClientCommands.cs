using System.CommandLine;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Cli;

/// <summary><c>clients add | list | rotate-secret | disable</c>: manage integrating systems.</summary>
internal static class ClientCommands
{
    public static Command Create(IServiceProvider services)
    {
        var clients = new Command("clients", "Manage integrating systems (OAuth 2.0 clients).");
        clients.Subcommands.Add(Add(services));
        clients.Subcommands.Add(List(services));
        clients.Subcommands.Add(RotateSecret(services));
        clients.Subcommands.Add(Disable(services));
        return clients;
    }

    private static Command Add(IServiceProvider services)
    {
        var id = new Argument<string>("client-id") { Description = "Stable id, e.g. crm-eu (lower-case letters, digits, '.', '_', '-')." };
        var name = new Option<string>("--name") { Description = "Display name shown to customers in their access log.", Required = true };
        var scopes = new Option<string[]>("--scope") { Description = $"Scope to grant; repeat or separate with commas. Known: {string.Join(", ", Scopes.All.Order(StringComparer.Ordinal))}.", AllowMultipleArgumentsPerToken = true };
        var purposes = new Option<string[]>("--purpose") { Description = "Purpose id the client may read for; repeat or separate with commas.", AllowMultipleArgumentsPerToken = true };
        var command = new Command("add", "Register a client and print its secret (shown once).") { id, name, scopes, purposes };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            CliAudit.Record(services, AuditActions.ClientAdd, parse.GetValue(id), AuditOutcomes.Attempted);
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(
                parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(scopes) ?? [], parse.GetValue(purposes) ?? [], cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
            }

            CliAudit.Record(services, AuditActions.ClientAdd, result.Value!.Client.Id, AuditOutcomes.Success);
            WriteClient(parse.InvocationConfiguration.Output, result.Value.Client);
            WriteSecret(parse.InvocationConfiguration.Output, result.Value.Secret);
            return 0;
        });
        return command;
    }

    private static Command List(IServiceProvider services)
    {
        var command = new Command("list", "List registered clients (never their secrets).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var all = await scope.ServiceProvider.GetRequiredService<ClientService>().ListAsync(cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (all.Count == 0)
            {
                await output.WriteLineAsync("No clients registered.");
            }

            foreach (var client in all)
            {
                WriteClient(output, client);
                await output.WriteLineAsync();
            }

            return 0;
        });
        return command;
    }

    private static Command RotateSecret(IServiceProvider services)
    {
        var id = new Argument<string>("client-id");
        var command = new Command("rotate-secret", "Issue a new secret; the old one stops working at once.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            CliAudit.Record(services, AuditActions.ClientRotateSecret, parse.GetValue(id), AuditOutcomes.Attempted);
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().RotateSecretAsync(parse.GetValue(id)!, cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteNotFound(parse);
            }

            CliAudit.Record(services, AuditActions.ClientRotateSecret, result.Value!.Client.Id, AuditOutcomes.Success);
            WriteSecret(parse.InvocationConfiguration.Output, result.Value.Secret);
            return 0;
        });
        return command;
    }

    private static Command Disable(IServiceProvider services)
    {
        var id = new Argument<string>("client-id");
        var command = new Command("disable", "Disable a client: no new tokens, and its current tokens are refused.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            CliAudit.Record(services, AuditActions.ClientDisable, parse.GetValue(id), AuditOutcomes.Attempted);
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().DisableAsync(parse.GetValue(id)!, cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteNotFound(parse);
            }

            CliAudit.Record(services, AuditActions.ClientDisable, result.Value!.Id, AuditOutcomes.Success);
            await parse.InvocationConfiguration.Output.WriteLineAsync($"Client {result.Value.Id} disabled.");
            return 0;
        });
        return command;
    }

    private static void WriteClient(TextWriter output, ClientInfo client)
    {
        output.WriteLine($"client_id:   {client.Id}");
        output.WriteLine($"name:        {client.DisplayName}");
        output.WriteLine($"scopes:      {string.Join(' ', client.Scopes)}");
        output.WriteLine($"purposes:    {string.Join(' ', client.AllowedPurposes)}");
        output.WriteLine($"status:      {(client.IsEnabled ? "enabled" : $"disabled since {client.DisabledAt:u}")}");
    }

    private static void WriteSecret(TextWriter output, string? secret)
    {
        if (secret is null)
        {
            return;
        }

        output.WriteLine($"secret:      {secret}");
        output.WriteLine("The secret is shown only now; only its hash is stored. Keep it in your secret store.");
    }

    private static int WriteErrors(ParseResult parse, IReadOnlyDictionary<string, string[]> errors)
    {
        foreach (var (key, messages) in errors)
        {
            parse.InvocationConfiguration.Error.WriteLine($"{key}: {string.Join(" ", messages)}");
        }

        return 1;
    }

    private static int WriteNotFound(ParseResult parse)
    {
        parse.InvocationConfiguration.Error.WriteLine("No client with this id.");
        return 1;
    }
}
