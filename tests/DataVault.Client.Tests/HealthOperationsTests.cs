namespace DataVault.Client.Tests;

public sealed class HealthOperationsTests
{
    [Fact]
    public async Task GetHealth_FreshVault_ReportsEveryCheckHealthy()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var health = await vault.GetHealthAsync();

        Assert.Equal("Healthy", health.Status);
        Assert.Contains(health.Checks, c => c.Name == "database" && c.Status == "Healthy");
        Assert.Contains(health.Checks, c => c.Name == "key-ring" && c.Status == "Healthy");
    }
}
