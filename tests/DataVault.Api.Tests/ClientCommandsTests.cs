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

    [Theory]
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
