using System.CommandLine;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Cli;

/// <summary><c>clients add | update | list | rotate-secret | disable</c>: manage integrating systems.</summary>
internal static class ClientCommands
{
    public static Command Create(IServiceProvider services)
    {
        var clients = new Command("clients", "Manage integrating systems (OAuth 2.0 clients).");
        clients.Subcommands.Add(Add(services));
        clients.Subcommands.Add(Update(services));
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
        var recipient = new RecipientOptions();
        var command = new Command("add", "Register a client and print its secret (shown once).") { id, name, scopes, purposes, jwk, redirectUris, isPublic };
        recipient.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            if (ReadJwk(parse, jwk, out var key) is { } unreadable)
            {
                return unreadable;
            }

            var registration = new ClientRegistration(parse.GetValue(id)!, parse.GetValue(name)!, parse.GetValue(scopes) ?? [], parse.GetValue(purposes) ?? [])
            {
                JsonWebKey = key,
                RedirectUris = parse.GetValue(redirectUris) ?? [],
                IsPublic = parse.GetValue(isPublic),
            };
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.ClientAdd,
                parse.GetValue(id),
                () => clients.AddAsync(registration, cancellationToken),
                added => added.Client.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
            }

            var output = parse.InvocationConfiguration.Output;
            WriteClient(output, result.Value!.Details, null);
            WriteSecret(output, result.Value.Secret);
            var change = recipient.Read(parse);
            return change.IsEmpty ? 0 : await UpdateRecipientAsync(services, clients, parse, result.Value.Client.Id, change, cancellationToken);
        });
        return command;
    }

    /// <summary>
    /// <c>clients update</c>: what the record of processing says about a client as a recipient (GDPR Art. 30(1)(d)-(e)):
    /// its category, and a transfer to a third country with its safeguard.
    /// </summary>
    private static Command Update(IServiceProvider services)
    {
        var id = new Argument<string>("client-id");
        var recipient = new RecipientOptions();
        var command = new Command("update", "Record a client's category of recipient and its transfer to a third country, for the record of processing.") { id };
        recipient.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var change = recipient.Read(parse);
            if (change.IsEmpty)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("Nothing to change: give --category, --transfer-country with --safeguard, or --no-transfer.");
                return 1;
            }

            await using var scope = services.CreateAsyncScope();
            return await UpdateRecipientAsync(services, scope.ServiceProvider.GetRequiredService<ClientService>(), parse, parse.GetValue(id)!, change, cancellationToken);
        });
        return command;
    }

    private static async Task<int> UpdateRecipientAsync(
        IServiceProvider services, ClientService clients, ParseResult parse, string clientId, ClientRecipientChange change, CancellationToken cancellationToken)
    {
        var updated = await CliAudit.ChangeAsync(
            services,
            AuditActions.ClientUpdate,
            clientId,
            () => clients.UpdateRecipientAsync(clientId, change, cancellationToken),
            _ => clientId,
            cancellationToken);
        switch (updated.Outcome)
        {
            case VaultOutcome.Ok:
                WriteRecipient(parse.InvocationConfiguration.Output, updated.Value);
                return 0;
            case VaultOutcome.NotFound:
                return WriteNotFound(parse);
            default:
                return WriteErrors(parse, updated.Errors);
        }
    }

    private static Command List(IServiceProvider services)
    {
        var command = new Command("list", "List registered clients (never their secrets).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            var all = await clients.ListDetailsAsync(cancellationToken);
            var recipients = await clients.ListRecipientsAsync(cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (all.Count == 0)
            {
                await output.WriteLineAsync("No clients registered.");
            }

            foreach (var client in all)
            {
                WriteClient(output, client, recipients.GetValueOrDefault(client.Client.Id));
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

            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.ClientRotateSecret,
                parse.GetValue(id),
                () => scope.ServiceProvider.GetRequiredService<ClientService>().RotateSecretAsync(parse.GetValue(id)!, cancellationToken, key),
                rotated => rotated.Client.Id,
                cancellationToken);
            if (result.Outcome == VaultOutcome.NotFound)
            {
                return WriteNotFound(parse);
            }

            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
            }

            WriteSecret(parse.InvocationConfiguration.Output, result.Value!.Secret);
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
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.ClientDisable,
                parse.GetValue(id),
                () => scope.ServiceProvider.GetRequiredService<ClientService>().DisableAsync(parse.GetValue(id)!, cancellationToken),
                disabled => disabled.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteNotFound(parse);
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"Client {result.Value!.Id} disabled.");
            return 0;
        });
        return command;
    }

    private static void WriteClient(TextWriter output, ClientDetails details, ClientRecipient? recipient)
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
        WriteRecipient(output, recipient);
    }

    private static void WriteRecipient(TextWriter output, ClientRecipient? recipient)
    {
        output.WriteLine($"category:    {recipient?.Category ?? "not recorded"}");
        output.WriteLine($"transfer:    {(recipient?.TransferCountry is { } country ? $"{country} ({recipient.TransferSafeguard})" : "none")}");
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

    /// <summary>The options that say what the record of processing records about a client as a recipient.</summary>
    private sealed class RecipientOptions
    {
        private readonly Option<string> _category = new("--category")
        {
            Description = $"Category of recipient for the record of processing: {string.Join(", ", RecipientCategories.All)} (a processor acts for you under GDPR Art. 28; a third party decides itself what it does with the data).",
        };

        private readonly Option<string> _country = new("--transfer-country")
        {
            Description = "ISO 3166-1 alpha-2 code of the country outside the EEA where the client receives data (a transfer to a third country, GDPR Chapter V); with --safeguard.",
        };

        private readonly Option<string> _safeguard = new("--safeguard")
        {
            Description = "What that transfer rests on, e.g. \"SCC 2021/914\" (Art. 46) or \"Adequacy decision\" (Art. 45).",
        };

        private readonly Option<bool> _noTransfer = new("--no-transfer") { Description = "The client no longer receives data outside the EEA." };

        public void AddTo(Command command)
        {
            command.Options.Add(_category);
            command.Options.Add(_country);
            command.Options.Add(_safeguard);
            command.Options.Add(_noTransfer);
        }

        public ClientRecipientChange Read(ParseResult parse) =>
            new(parse.GetValue(_category), parse.GetValue(_country), parse.GetValue(_safeguard), parse.GetValue(_noTransfer));
    }
}
