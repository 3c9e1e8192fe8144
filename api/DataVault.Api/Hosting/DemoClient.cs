using DataVault.Policies;
using DataVault.Vault;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Hosting;

/// <summary>
/// In Development, a first start registers <c>demo-crm</c> with every scope and purpose and prints
/// its secret once, so a newcomer can call the API straight away. The secret goes to the console
/// only, never to a log sink.
/// </summary>
internal static class DemoClient
{
    public const string ClientId = "demo-crm";

    public static async Task EnsureDemoClientAsync(this WebApplication app)
    {
        if (!app.Environment.IsDevelopment())
        {
            return;
        }

        await using var scope = app.Services.CreateAsyncScope();
        var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
        if (await clients.FindAsync(ClientId, CancellationToken.None) is not null)
        {
            Console.WriteLine($"Demo client '{ClientId}' exists; its secret was printed when it was created. New one: dotnet run --project api/DataVault.Api -- clients rotate-secret {ClientId}");
            return;
        }

        var purposes = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>().Purposes.Keys;
        var created = await clients.AddAsync(ClientId, "Demo CRM", Scopes.All, purposes, CancellationToken.None);
        if (created.Outcome == VaultOutcome.Ok)
        {
            Console.WriteLine($"""
                Demo client created (Development only). It is shown once:
                  client_id:     {ClientId}
                  client_secret: {created.Value!.Secret}
                Get a token:  curl -s -u '{ClientId}:{created.Value.Secret}' -d grant_type=client_credentials {app.Services.GetRequiredService<PublicOrigin>().Combine("/connect/token")}
                """);
        }
    }
}
