using System.Net;
using DataVault.Api.Cli;
using DataVault.Testing;

namespace DataVault.Api.Tests;

public sealed class OfficerCommandsTests
{
    [Fact]
    public async Task OfficersVerbs_AddListDisable_ManageStaffWhoSignInToThePortal()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/account/login")).Status);
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = app.DataDirectory };

        var (code, output, error) = await RunAsync(settings, "officers", "add", "olga@example.com", "--role", "officer");
        Assert.True(code == 0, error);
        Assert.Contains("roles:       officer", output, StringComparison.Ordinal);
        var password = PasswordFrom(output);
        Assert.Equal(27, password.Length);
        app.Monitor.Remember(password);
        app.Monitor.Remember("olga@example.com");

        using (var signIn = await browser.SignInAsync("olga@example.com", password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        // A staff account must use two-factor sign-in: until it does, every page sends it to set it up.
        var (landing, _) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, landing);
        var (_, setUp) = await browser.GetAsync("/account/two-factor");
        Assert.Contains("Your account is a staff account: it must use two-factor sign-in.", setUp, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(settings, "officers", "add", "adam@example.com", "--role", "admin");
        Assert.Equal(0, code);
        (code, output, _) = await RunAsync(settings, "officers", "list");
        Assert.Equal(0, code);
        Assert.Contains("email:       adam@example.com", output, StringComparison.Ordinal);
        Assert.Contains("email:       olga@example.com", output, StringComparison.Ordinal);
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(settings, "officers", "disable", "olga@example.com");
        Assert.Equal(0, code);
        (_, output, _) = await RunAsync(settings, "officers", "list");
        Assert.Contains("status:      disabled", output, StringComparison.Ordinal);
        using (var audit = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.AuditDatabasePath};Mode=ReadOnly;Pooling=False"))
        {
            audit.Open();
            using var command = audit.CreateCommand();
            command.CommandText = "SELECT group_concat(action || ':' || outcome, ' ') FROM (SELECT action, outcome FROM audit_entries WHERE action LIKE 'officer.%' ORDER BY sequence);";

            // Each change is recorded as attempted before it is made, then as done.
            Assert.Equal(
                "officer.add:attempted officer.add:success officer.add:attempted officer.add:success officer.disable:attempted officer.disable:success",
                command.ExecuteScalar());
        }

        using var fresh = new PortalBrowser(app);
        using var refused = await fresh.SignInAsync("olga@example.com", password);
        Assert.Contains("Sign-in failed", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("officers", "add", "olga@example.com")]
    [InlineData("officers", "add", "olga@example.com", "--role", "root")]
    [InlineData("officers", "add", "jo@example.com", "--role", "agent")]
    [InlineData("officers", "add", "jo@example.com", "--role", "agent", "--name", " ")]
    [InlineData("officers", "add", "not-an-address", "--role", "officer")]
    [InlineData("officers", "disable", "nobody@example.com")]
    [InlineData("officers", "explode")]
    public async Task OfficersVerbs_BadInput_FailWithAMessage(params string[] args)
    {
        using var directory = new TempDirectory();

        var (code, _, error) = await RunAsync(new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path }, args);

        Assert.NotEqual(0, code);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public async Task OfficersAdd_AnAgentWithAName_ListsThemWithIt()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };

        var (code, output, error) = await RunAsync(settings, "officers", "add", "jo@example.com", "--role", "agent", "--name", "J. Smith");

        Assert.True(code == 0, error);
        Assert.Contains("name:        J. Smith", output, StringComparison.Ordinal);
        Assert.Contains("roles:       agent", output, StringComparison.Ordinal);
        (_, output, _) = await RunAsync(settings, "officers", "list");
        Assert.Contains("name:        J. Smith", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OfficersAdd_SameAddressTwice_FailsTheSecondTime()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };
        Assert.Equal(0, (await RunAsync(settings, "officers", "add", "olga@example.com", "--role", "officer")).Code);

        var (code, _, error) = await RunAsync(settings, "officers", "add", "OLGA@example.com", "--role", "admin");

        Assert.Equal(1, code);
        Assert.Contains("already taken", error, StringComparison.Ordinal);
    }

    private static string PasswordFrom(string output) =>
        output.Split('\n').Single(l => l.StartsWith("password:", StringComparison.Ordinal))["password:".Length..].Trim();

    private static async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCli.RunAsync(args, output, error, TestKeyRing.With(settings));
        return (code, output.ToString(), error.ToString());
    }
}
