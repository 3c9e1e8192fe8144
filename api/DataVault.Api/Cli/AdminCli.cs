using System.CommandLine;
using DataVault.Api.Hosting;
using DataVault.Vault;
using DataVault.Vault.Encryption;

namespace DataVault.Api.Cli;

/// <summary>
/// Administration verbs of the host (<c>dotnet run --project api/DataVault.Api -- clients add ...</c>).
/// They open the same database and key ring as the service, with the same configuration, and exit.
/// </summary>
internal static class AdminCli
{
    private static readonly string[] Verbs = ["clients", "officers", "audit", "retention", "webhooks"];

    public static bool Handles(string[] args) => args.Length > 0 && Verbs.Contains(args[0], StringComparer.Ordinal);

    public static async Task<int> RunAsync(
        string[] args,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? settings = null)
    {
        if (args[0] == "audit")
        {
            // Offline verification works on any copy of the audit file: no service, no key ring needed.
            var audit = new RootCommand("DataVault administration.");
            audit.Subcommands.Add(AuditCommands.Create());
            return await audit.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }

        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,

            // The environment the service itself runs in (it reads ASPNETCORE_ENVIRONMENT), so the
            // verbs follow the same key ring rule as the service.
            EnvironmentName = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
                ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
                ?? Environments.Production,
        });
        builder.Configuration.AddEnvironmentVariables("ASPNETCORE_");
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        // Administration output is the command's answer; the service's information logs would drown it.
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPolicyCatalogue();
        try
        {
            builder.Services.AddVault(builder.Configuration);
            using var host = builder.Build();
            host.Services.EnsureKeyRingProtected(builder.Environment);
            await host.Services.InitializeVaultAsync();

            var root = new RootCommand("DataVault administration.");
            root.Subcommands.Add(ClientCommands.Create(host.Services));
            root.Subcommands.Add(OfficerCommands.Create(host.Services));
            root.Subcommands.Add(RetentionCommands.Create(host.Services));
            root.Subcommands.Add(WebhookCommands.Create(host.Services));
            return await root.Parse(args).InvokeAsync(new InvocationConfiguration { Output = output, Error = error });
        }
        catch (ServiceConfigurationException exception)
        {
            // The same refusal as the service's: the verbs open the same key ring.
            await error.WriteLineAsync(exception.Message);
            return 3;
        }
    }
}
