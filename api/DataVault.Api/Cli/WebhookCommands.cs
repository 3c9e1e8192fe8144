using System.CommandLine;
using System.Globalization;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;

namespace DataVault.Api.Cli;

/// <summary><c>webhooks list | add | rotate | remove</c>: manage clients' webhook subscriptions.</summary>
internal static class WebhookCommands
{
    public static Command Create(IServiceProvider services)
    {
        var webhooks = new Command("webhooks", "Manage clients' webhook subscriptions (signed pushes of their change feed).");
        webhooks.Subcommands.Add(List(services));
        webhooks.Subcommands.Add(Add(services));
        webhooks.Subcommands.Add(Rotate(services));
        webhooks.Subcommands.Add(Remove(services));
        return webhooks;
    }

    private static Command List(IServiceProvider services)
    {
        var client = new Option<string>("--client") { Description = "Only this client's subscriptions." };
        var command = new Command("list", "List subscriptions (never their secrets).") { client };
        command.SetAction(async (parse, _) =>
        {
            var all = services.GetRequiredService<WebhookSubscriptions>().List(parse.GetValue(client));
            var output = parse.InvocationConfiguration.Output;
            if (all.Count == 0)
            {
                await output.WriteLineAsync("No webhook subscriptions.");
            }

            foreach (var subscription in all)
            {
                var state = subscription.DisabledAt is { } disabled
                    ? string.Create(CultureInfo.InvariantCulture, $"disabled {disabled:u} ({subscription.DisabledReason})")
                    : "active";
                await output.WriteLineAsync(string.Create(
                    CultureInfo.InvariantCulture,
                    $"{subscription.Id}  {subscription.ClientId}  {subscription.Url}  types:{(subscription.EventTypes.Count == 0 ? "all" : string.Join(',', subscription.EventTypes))}  {state}  pending:{subscription.Pending}  dead:{subscription.DeadLettered}"));
            }

            return 0;
        });
        return command;
    }

    private static Command Add(IServiceProvider services)
    {
        var client = new Argument<string>("client-id") { Description = "The client whose change events are pushed." };
        var url = new Option<string>("--url") { Description = "Where events are posted (https; not a loopback, private or link-local address).", Required = true };
        var types = new Option<string[]>("--event")
        {
            Description = $"Event type to push; repeat or separate with commas; omitted for all. Known: {string.Join(", ", ChangeTypes.Published)}.",
            AllowMultipleArgumentsPerToken = true,
        };
        var command = new Command("add", "Subscribe a client's change events to a URL and print the signing secret (shown once).") { client, url, types };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var eventTypes = (parse.GetValue(types) ?? []).SelectMany(t => t.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.WebhookSubscriptionCreate,
                null,
                () => services.GetRequiredService<WebhookSubscriptions>().CreateAsync(parse.GetValue(client)!, parse.GetValue(url), eventTypes, cancellationToken),
                created => created.Subscription.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteErrors(parse, result.Errors);
            }

            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"id:          {result.Value!.Subscription.Id}");
            await output.WriteLineAsync($"client:      {result.Value.Subscription.ClientId}");
            await WriteSecretAsync(output, result.Value.Secret);
            return 0;
        });
        return command;
    }

    private static Command Rotate(IServiceProvider services)
    {
        var id = new Argument<string>("subscription-id");
        var overlap = new Option<int?>("--overlap-hours") { Description = "How long the replaced secret still signs beside the new one (default: Webhooks:SecretOverlap, 24 hours)." };
        var command = new Command("rotate", "Replace a subscription's signing secret and print the new one (shown once).") { id, overlap };
        command.SetAction(async (parse, cancellationToken) =>
        {
            TimeSpan? hours = parse.GetValue(overlap) is { } h ? TimeSpan.FromHours(h) : null;
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.WebhookSecretRotate,
                parse.GetValue(id),
                () => services.GetRequiredService<WebhookSubscriptions>().RotateSecretAsync(null, parse.GetValue(id)!, hours, cancellationToken),
                rotated => rotated.Subscription.Id,
                cancellationToken);
            switch (result.Outcome)
            {
                case VaultOutcome.Ok:
                    break;
                case VaultOutcome.Invalid:
                    return WriteErrors(parse, result.Errors);
                default:
                    return WriteNotFound(parse);
            }

            var output = parse.InvocationConfiguration.Output;
            await WriteSecretAsync(output, result.Value!.Secret);
            if (result.Value.PreviousSecretValidUntil is { } until)
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"The previous secret also signs until {until:u}."));
            }

            return 0;
        });
        return command;
    }

    private static Command Remove(IServiceProvider services)
    {
        var id = new Argument<string>("subscription-id");
        var command = new Command("remove", "Remove a subscription and drop its queued deliveries.") { id };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.WebhookSubscriptionDelete,
                parse.GetValue(id),
                () => services.GetRequiredService<WebhookSubscriptions>().DeleteAsync(null, parse.GetValue(id)!, cancellationToken),
                removed => removed.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                return WriteNotFound(parse);
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"Removed {result.Value!.Id} of {result.Value.ClientId}.");
            return 0;
        });
        return command;
    }

    private static async Task WriteSecretAsync(TextWriter output, string secret)
    {
        await output.WriteLineAsync($"secret:      {secret}");
        await output.WriteLineAsync("The secret is shown only now. Give it to the receiver to verify webhook-signature; keep it in your secret store.");
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
        parse.InvocationConfiguration.Error.WriteLine("No webhook subscription with this id.");
        return 1;
    }
}
