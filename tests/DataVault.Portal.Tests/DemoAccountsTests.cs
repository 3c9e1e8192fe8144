using System.Net;
using System.Text.RegularExpressions;

namespace DataVault.Portal.Tests;

/// <summary>
/// After the run command a newcomer can sign in to the portal as a customer, an officer and an agent
/// with the sign-ins printed on the console (Development only, printed once, never logged).
/// </summary>
[Collection(ConsoleCapture.Name)]
public sealed class DemoAccountsTests
{
    [Fact]
    public async Task Development_FirstStart_PrintsWorkingCustomerAndOfficerSignIns_Once()
    {
        using var console = new ConsoleCapture();
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Development" });
        using var browser = new PortalBrowser(app);
        _ = app.Services;

        var customer = Printed(console.Text, "customer");
        var officer = Printed(console.Text, "compliance officer");
        using (var signedIn = await browser.SignInAsync(customer.Email, customer.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        var (status, accessLog) = await browser.GetAsync("/my/access-log?mine=true");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<td data-label=", accessLog, StringComparison.Ordinal);

        using var officerBrowser = new PortalBrowser(app);
        using (var signedIn = await officerBrowser.SignInAsync(officer.Email, officer.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        // A staff account sets up two-factor sign-in before anything else; then the desk opens.
        await SetUpTwoFactorAsync(app, officerBrowser);
        var (_, desk) = await officerBrowser.GetAsync("/");
        Assert.Contains("href=\"/desk/audit\"", desk, StringComparison.Ordinal);

        // The demo agent signs in, sets up two-factor sign-in too, and lets the demo CRM act for them (authorization code flow).
        var agent = Printed(console.Text, "agent");
        using var agentBrowser = new PortalBrowser(app);
        using (var signedIn = await agentBrowser.SignInAsync(agent.Email, agent.Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        await SetUpTwoFactorAsync(app, agentBrowser);
        var (_, challenge) = CodeFlow.Pkce();
        var (consent, page) = await agentBrowser.GetAsync(CodeFlow.AuthorizePath("demo-crm", "subjects.read", challenge, redirectUri: "http://localhost:8400/callback"));
        Assert.Equal(HttpStatusCode.OK, consent);
        Assert.Contains("Let Demo CRM act for you", page, StringComparison.Ordinal);
        Assert.Contains("J. Smith", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutsideDevelopment_NoDemoAccountIsCreated()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        _ = app.Services;

        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"AspNetUsers\";";
        Assert.Equal(0L, command.ExecuteScalar());
    }

    /// <summary>Follows the portal to two-factor set-up, as a staff account's first sign-in is sent, and turns it on with a code from the shown key.</summary>
    private static async Task SetUpTwoFactorAsync(DataVaultApplication app, PortalBrowser browser)
    {
        using (var home = await browser.Http.GetAsync("/"))
        {
            Assert.Equal("/account/two-factor", home.Headers.Location!.OriginalString);
        }

        var (_, setUp) = await browser.GetAsync("/account/two-factor");
        var key = Regex.Match(setUp, "<code class=\"shared-key\">([A-Za-z0-9 ]+)</code>").Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal);
        app.Monitor.Remember(key);
        using (await browser.PostAsync(
            "/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(setUp)))
        {
        }
    }

    private static (string Email, string Password) Printed(string console, string who)
    {
        var match = new Regex($@"Demo {who} created[^:]*: (\S+@\S+)\s+password: (\S+)").Match(console);
        Assert.True(match.Success, $"No {who} sign-in was printed.");
        return (match.Groups[1].Value, match.Groups[2].Value);
    }
}

/// <summary>Captures what the process writes to the console while it lives; tests using it run one at a time.</summary>
internal sealed class ConsoleCapture : IDisposable
{
    public const string Name = "console";

    private readonly TextWriter _original = Console.Out;
    private readonly StringWriter _captured = new();

    public ConsoleCapture() => Console.SetOut(TextWriter.Synchronized(_captured));

    public string Text => _captured.ToString();

    public void Dispose()
    {
        Console.SetOut(_original);
        _captured.Dispose();
    }
}

[CollectionDefinition(ConsoleCapture.Name, DisableParallelization = true)]
public sealed class ConsoleCaptureDefinition;
