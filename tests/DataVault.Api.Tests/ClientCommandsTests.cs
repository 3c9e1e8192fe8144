using DataVault.Api.Cli;
using DataVault.Testing;

namespace DataVault.Api.Tests;

public sealed class ClientCommandsTests
{
    [Fact]
    public async Task ClientsVerbs_AddListRotateDisable_ManageTheClientTable()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };

        var (code, output, error) = await RunAsync(settings, "clients", "add", "crm-eu", "--name", "EU CRM", "--scope", "subjects.read,subjects.write", "--purpose", "marketing-email");
        Assert.True(code == 0, error);
        Assert.Contains("client_id:   crm-eu", output, StringComparison.Ordinal);
        Assert.Contains("scopes:      subjects.read subjects.write", output, StringComparison.Ordinal);
        var secret = SecretFrom(output);
        Assert.Equal(43, secret.Length);

        (code, output, _) = await RunAsync(settings, "clients", "list");
        Assert.Equal(0, code);
        Assert.Contains("crm-eu", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(settings, "clients", "rotate-secret", "crm-eu");
        Assert.Equal(0, code);
        Assert.NotEqual(secret, SecretFrom(output));

        (code, output, _) = await RunAsync(settings, "clients", "disable", "crm-eu");
        Assert.Equal(0, code);
        (_, output, _) = await RunAsync(settings, "clients", "list");
        Assert.Contains("disabled since", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientsUpdate_RecordsTheCategoryAndATransferToAThirdCountry_ForTheRecordOfProcessing()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };
        var (code, output, error) = await RunAsync(
            settings, "clients", "add", "us-mailer", "--name", "US Mailer", "--purpose", "marketing-email", "--category", "processor", "--transfer-country", "us", "--safeguard", "SCC 2021/914");
        Assert.True(code == 0, error);
        Assert.Contains("category:    processor", output, StringComparison.Ordinal);
        Assert.Contains("transfer:    US (SCC 2021/914)", output, StringComparison.Ordinal);

        (code, output, error) = await RunAsync(settings, "clients", "update", "us-mailer", "--category", "third-party", "--no-transfer");
        Assert.True(code == 0, error);
        Assert.Contains("category:    third-party", output, StringComparison.Ordinal);
        Assert.Contains("transfer:    none", output, StringComparison.Ordinal);

        (_, output, _) = await RunAsync(settings, "clients", "list");
        Assert.Contains("category:    third-party", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--transfer-country", "DE", "--safeguard", "SCC 2021/914")]
    [InlineData("--transfer-country", "XX", "--safeguard", "SCC 2021/914")]
    [InlineData("--transfer-country", "US")]
    [InlineData("--safeguard", "SCC 2021/914")]
    [InlineData("--category", "friend")]
    [InlineData("--no-transfer", "--transfer-country", "US", "--safeguard", "SCC 2021/914")]
    [InlineData]
    public async Task ClientsUpdate_BadInput_FailsWithAMessage_AndChangesNothing(params string[] options)
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };
        Assert.Equal(0, (await RunAsync(settings, "clients", "add", "crm-eu", "--name", "EU CRM", "--purpose", "service-delivery")).Code);

        var (code, _, error) = await RunAsync(settings, ["clients", "update", "crm-eu", .. options]);

        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
        var (_, list, _) = await RunAsync(settings, "clients", "list");
        Assert.Contains("category:    not recorded", list, StringComparison.Ordinal);
        Assert.Contains("transfer:    none", list, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("clients", "update", "nobody", "--category", "processor")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--scope", "root")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--purpose", "world-domination")]
    [InlineData("clients", "add", "UPPER CASE", "--name", "X")]
    [InlineData("clients", "add", "crm-eu")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--redirect-uri", "http://crm.example/callback")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--redirect-uri", "https://crm.example/callback#fragment")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--redirect-uri", "/callback")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--public")]
    [InlineData("clients", "add", "crm-eu", "--name", "X", "--jwk", "/nonexistent/key.json")]
    [InlineData("clients", "rotate-secret", "nobody")]
    [InlineData("clients", "disable", "nobody")]
    [InlineData("clients", "explode")]
    public async Task ClientsVerbs_BadInput_FailWithAMessage(params string[] args)
    {
        using var directory = new TempDirectory();

        var (code, _, error) = await RunAsync(new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path }, args);

        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task ClientsAdd_WithRedirectUris_ListsThemAndAPublicClientGetsNoSecret()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };

        var (code, output, error) = await RunAsync(
            settings, "clients", "add", "crm-ui", "--name", "CRM screens", "--scope", "subjects.read", "--redirect-uri", "https://crm.example/callback", "--redirect-uri", "http://localhost:8400/callback");
        Assert.True(code == 0, error);
        Assert.Contains("auth:        client_secret", output, StringComparison.Ordinal);
        Assert.Contains("redirects:   https://crm.example/callback http://localhost:8400/callback", output, StringComparison.Ordinal);
        Assert.Equal(43, SecretFrom(output).Length);

        (code, output, error) = await RunAsync(settings, "clients", "add", "spa", "--name", "Browser app", "--public", "--redirect-uri", "https://app.example/callback");
        Assert.True(code == 0, error);
        Assert.Contains("auth:        none", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret:", output, StringComparison.Ordinal);

        (code, _, error) = await RunAsync(settings, "clients", "rotate-secret", "spa");
        Assert.NotEqual(0, code);
        Assert.Contains("public client", error, StringComparison.Ordinal);
    }

    private static string SecretFrom(string output) =>
        output.Split('\n').Single(l => l.StartsWith("secret:", StringComparison.Ordinal))["secret:".Length..].Trim();

    private static async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCli.RunAsync(args, output, error, TestKeyRing.With(settings));
        return (code, output.ToString(), error.ToString());
    }
}
