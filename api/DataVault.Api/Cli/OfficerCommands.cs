using System.CommandLine;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Cli;

/// <summary><c>officers add | list | disable</c>: manage staff accounts (compliance officers, administrators, agents).</summary>
internal static class OfficerCommands
{
    public static Command Create(IServiceProvider services)
    {
        var officers = new Command("officers", "Manage staff accounts: compliance officers, administrators, and agents (people who use a CRM's screens).");
        officers.Subcommands.Add(Add(services));
        officers.Subcommands.Add(List(services));
        officers.Subcommands.Add(Disable(services));
        return officers;
    }

    private static Command Add(IServiceProvider services)
    {
        var email = new Argument<string>("email") { Description = "The e-mail address the person signs in with." };
        var role = new Option<string>("--role") { Description = $"One of: {string.Join(", ", AccountRoles.All)}.", Required = true };
        role.AcceptOnlyFromAmong([.. AccountRoles.All]);
        var name = new Option<string>("--name") { Description = "The person's name as the audit trail's readers see it (\"Demo CRM, by J. Smith\"); required for agents." };
        var command = new Command("add", "Create a staff account and print its initial password (shown once).") { email, role, name };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.OfficerAdd,
                null,
                () => scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(parse.GetValue(email)!, parse.GetValue(role)!, cancellationToken, parse.GetValue(name)),
                added => added.Officer.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                foreach (var (key, messages) in result.Errors)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"{key}: {string.Join(" ", messages)}");
                }

                return 1;
            }

            // The answer of this command, on its own output only: passwords never go through ILogger.
            var output = parse.InvocationConfiguration.Output;
            WriteOfficer(output, result.Value!.Officer);
            await output.WriteLineAsync($"password:    {result.Value.Password}");
            await output.WriteLineAsync("The password is shown only now; only its hash is stored. Hand it over in person or through a password manager; it works at /account/login, where the first sign-in sets up two-factor sign-in: staff accounts cannot use the portal without it.");
            return 0;
        });
        return command;
    }

    private static Command List(IServiceProvider services)
    {
        var command = new Command("list", "List staff accounts (never their passwords).");
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var all = await scope.ServiceProvider.GetRequiredService<OfficerService>().ListAsync(cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            if (all.Count == 0)
            {
                await output.WriteLineAsync("No staff accounts.");
            }

            foreach (var officer in all)
            {
                WriteOfficer(output, officer);
                await output.WriteLineAsync();
            }

            return 0;
        });
        return command;
    }

    private static Command Disable(IServiceProvider services)
    {
        var email = new Argument<string>("email");
        var command = new Command("disable", "Disable a staff account: it cannot sign in, and its open sessions end within a minute.") { email };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var scope = services.CreateAsyncScope();
            var result = await CliAudit.ChangeAsync(
                services,
                AuditActions.OfficerDisable,
                null,
                () => scope.ServiceProvider.GetRequiredService<OfficerService>().DisableAsync(parse.GetValue(email)!, cancellationToken),
                disabled => disabled.Id,
                cancellationToken);
            if (result.Outcome != VaultOutcome.Ok)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("No staff account with this e-mail address.");
                return 1;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync($"Staff account {result.Value!.Email} disabled.");
            return 0;
        });
        return command;
    }

    private static void WriteOfficer(TextWriter output, OfficerInfo officer)
    {
        output.WriteLine($"email:       {officer.Email}");
        if (officer.DisplayName is { } displayName)
        {
            output.WriteLine($"name:        {displayName}");
        }

        output.WriteLine($"roles:       {string.Join(' ', officer.Roles)}");
        output.WriteLine($"two-factor:  {(officer.TwoFactorEnabled ? "on" : "off")}");
        output.WriteLine($"created:     {officer.CreatedAt:u}");
        output.WriteLine($"status:      {(officer.IsDisabled ? "disabled" : "enabled")}");
    }
}
