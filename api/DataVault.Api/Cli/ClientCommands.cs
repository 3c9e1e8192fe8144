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
        var jwk = JwkOption("The client authenticates with assertions signed by its private key (private_key_jwt, RFC 7523) and gets no secret: its public key as a JWK or JWK set, inline or in a file.");
        var redirectUris = new Option<string[]>("--redirect-uri") { Description = "Where authorization codes may go (the client's screens used by staff, authorization code flow with PKCE); https, or http on localhost. Repeat for several." };
        var isPublic = new Option<bool>("--public") { Description = "A public client (a browser app such as Swagger UI): no credential, the authorization code flow only; needs --redirect-uri." };
        var command = new Command("add", "Register a client and print its secret (shown once).") { id, name, scopes, purposes, jwk, redirectUris, isPublic };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            if (ReadJwk(parse, jwk, out var key) is { } unreadable)
            {
                return unreadable;
            }

            CliAudit.Record(services, AuditActions.ClientAdd, parse.GetValue(id), AuditOutcomes.Attempted);
            var registration = new ClientRegistration(parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(scopes) ?? [], parse.GetValue(purposes) ?? [])
            {
                JsonWebKey = key,
                RedirectUris = parse.GetValue(redirectUris) ?? [],
                IsPublic = parse.GetValue(isPublic),
            };
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(registration, cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
            }

            CliAudit.Record(services, AuditActions.ClientAdd, result.Value!.Client.Id, AuditOutcomes.Success);
            WriteClient(parse.InvocationConfiguration.Output, result.Value.Details);
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
            var all = await scope.ServiceProvider.GetRequiredService<ClientService>().ListDetailsAsync(cancellationToken);
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
        var jwk = JwkOption("Register this public key (JWK or JWK set, inline or in a file) instead of issuing a secret.");
        var command = new Command("rotate-secret", "Issue a new secret (or register a new key); the old credential and every token issued with it stop working at once.") { id, jwk };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            if (ReadJwk(parse, jwk, out var key) is { } unreadable)
            {
                return unreadable;
            }

            CliAudit.Record(services, AuditActions.ClientRotateSecret, parse.GetValue(id), AuditOutcomes.Attempted);
            var result = await scope.ServiceProvider.GetRequiredService<ClientService>().RotateSecretAsync(parse.GetValue(id)!, cancellationToken, key);
            if (result.Outcome == VaultOutcome.NotFound)
            {
                return WriteNotFound(parse);
            }

            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
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

    private static void WriteClient(TextWriter output, ClientDetails details)
    {
        var client = details.Client;
        output.WriteLine($"client_id:   {client.Id}");
        output.WriteLine($"name:        {client.DisplayName}");
        output.WriteLine($"scopes:      {string.Join(' ', client.Scopes)}");
        output.WriteLine($"purposes:    {string.Join(' ', client.AllowedPurposes)}");
        output.WriteLine($"auth:        {details.Authentication}");
        if (details.RedirectUris.Count > 0)
        {
            output.WriteLine($"redirects:   {string.Join(' ', details.RedirectUris)}");
        }

        output.WriteLine($"status:      {(client.IsEnabled ? "enabled" : $"disabled since {client.DisabledAt:u}")}");
    }

    private static Option<string> JwkOption(string description) => new("--jwk") { Description = description };

    /// <summary>The <c>--jwk</c> value: JSON given inline, or read from the file it names; an exit code when the file cannot be read.</summary>
    private static int? ReadJwk(ParseResult parse, Option<string> option, out string? key)
    {
        key = parse.GetValue(option);
        if (key is null || key.TrimStart().StartsWith('{'))
        {
            return null;
        }

        try
        {
            key = File.ReadAllText(key);
            return null;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            parse.InvocationConfiguration.Error.WriteLine($"jwk: cannot read the file: {exception.Message}");
            return 1;
        }
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
