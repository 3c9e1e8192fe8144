using DataVault.Testing;

namespace DataVault.Api.Tests;

/// <summary>
/// <c>openapi.yaml</c> is the committed contract and must equal the document the code serves.
/// To regenerate it after changing an endpoint: <c>DATAVAULT_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContract</c>.
/// </summary>
public sealed class OpenApiContractTests
{
    [Fact]
    public async Task OpenApiContract_ServedDocument_EqualsCommittedFile()
    {
        await using var app = new DataVaultApplication();
        using var client = app.CreateClient();
        var served = Normalize(await client.GetStringAsync("/swagger/v1/swagger.yaml"));
        var path = Path.Combine(TestPaths.RepositoryRoot, "openapi.yaml");

        if (Environment.GetEnvironmentVariable("DATAVAULT_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, served);
        }

        Assert.True(File.Exists(path), "openapi.yaml is missing; regenerate it (see this test's summary).");
        var committed = Normalize(await File.ReadAllTextAsync(path));
        Assert.True(
            committed == served,
            "openapi.yaml differs from the served document. Regenerate it with: DATAVAULT_UPDATE_OPENAPI=1 dotnet test --filter OpenApiContract");
    }

    private static string Normalize(string yaml) => yaml.ReplaceLineEndings("\n").TrimEnd() + "\n";
}
