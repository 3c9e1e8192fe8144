using DataVault.Policies;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

public sealed class ClientRegistryTests
{
    [Fact]
    public async Task Find_AfterChangesThroughAnotherConnection_SeesThemAtOnce()
    {
        await using var vault = await TestVault.StartAsync();
        await AddClientAsync(vault, "crm-eu", ["subjects.read", "subjects.write"]);
        var registry = vault.Services.GetRequiredService<ClientRegistry>();
        Assert.Equal(["subjects.read", "subjects.write"], registry.Find("crm-eu")!.Scopes);

        // Behind the service's back, as another process or instance would.
        Execute(vault, "UPDATE clients SET scopes = 'subjects.write' WHERE id = 'crm-eu';");
        Assert.Equal(["subjects.write"], registry.Find("crm-eu")!.Scopes);

        Execute(vault, "UPDATE clients SET disabled_at = '2026-01-01T00:00:00.0000000Z' WHERE id = 'crm-eu';");
        Assert.False(registry.Find("crm-eu")!.IsEnabled);

        Execute(vault, "DELETE FROM clients WHERE id = 'crm-eu';");
        Assert.Null(registry.Find("crm-eu"));
    }

    [Fact]
    public async Task Find_AfterChangesThroughTheClientService_SeesThemAtOnce()
    {
        await using var vault = await TestVault.StartAsync();
        var registry = vault.Services.GetRequiredService<ClientRegistry>();
        Assert.Null(registry.Find("crm-eu"));

        await AddClientAsync(vault, "crm-eu", ["subjects.read"]);
        Assert.True(registry.Find("crm-eu")!.IsEnabled);

        await using (var scope = vault.Scope())
        {
            Assert.Equal(VaultOutcome.Ok, (await scope.ServiceProvider.GetRequiredService<ClientService>().DisableAsync("crm-eu", CancellationToken.None)).Outcome);
        }

        Assert.False(registry.Find("crm-eu")!.IsEnabled);
    }

    private static async Task AddClientAsync(TestVault vault, string clientId, string[] scopes)
    {
        await using var scope = vault.Scope();
        var purposes = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>().Purposes.Keys;
        var added = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(clientId, "EU CRM", scopes, purposes, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
    }

    private static void Execute(TestVault vault, string sql)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        Assert.Equal(1, command.ExecuteNonQuery());
    }
}
