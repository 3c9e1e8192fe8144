using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>Activation, sign-in, two-factor set-up, sign-out and the language switcher in a real chromium.</summary>
[Collection(SharedChromium.Name)]
public sealed partial class AccountBrowserTests(ChromiumFixture chromium)
{
    private const string Email = "ana.browser@example.com";
    private const string Password = "a long browser passphrase";

    [Fact]
    public async Task Customer_ActivatesSetsUpTwoFactorSignsOutAndBackIn()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(AccountBrowserTests), nameof(Customer_ActivatesSetsUpTwoFactorSignsOutAndBackIn));
        var page = window.Page;

        await window.GotoAsync(activation, "activate");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Set up your account");
        await ActivateAsync(window);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/$"));
        await Assertions.Expect(page.GetByText($"You are signed in as {Email}")).ToBeVisibleAsync();

        await window.GotoAsync("/my/access-log", "access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Who used your data");

        await window.GotoAsync("/account/two-factor", "two-factor-off");
        var key = (await page.Locator("code.shared-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        await page.GetByLabel("Enter the 6-digit code the app shows").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Turn on two-factor sign-in" }), "two-factor-on");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Two-factor sign-in is now on");

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Button, new() { Name = "Sign out" }), "signed-out");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
        await window.GotoAsync("/", "after-sign-out");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?ReturnUrl=%2F$"));

        await page.GetByLabel("E-mail address").FillAsync(Email);
        await window.FillSecretAsync(page.GetByLabel("Password"), Password);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "code");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Enter your code");
        await page.GetByLabel("Authenticator code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "signed-in");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");
    }

    [Fact]
    public async Task Login_WrongPassword_ShowsTheErrorSummary()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(AccountBrowserTests), nameof(Login_WrongPassword_ShowsTheErrorSummary));
        var page = window.Page;

        await window.GotoAsync("/account/login", "login");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "empty");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Enter your e-mail address.");
        await page.GetByLabel("E-mail address").FillAsync("nobody@example.com");
        await window.FillSecretAsync(page.GetByLabel("Password"), "not the password at all");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "failed");

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed");
    }

    [Fact]
    public async Task Switcher_Eesti_ShowsThePortalInEstonian()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(AccountBrowserTests), nameof(Switcher_Eesti_ShowsThePortalInEstonian));
        var page = window.Page;
        await window.GotoAsync("/account/login", "login");

        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Eesti" }), "eesti");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "et");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Privaatsusportaal" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Eesti" })).ToHaveAttributeAsync("aria-current", "true");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login$"));
    }

    [Fact]
    public async Task ScriptOff_ActivateSignOutSignInAndReadTheAccessLog()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(AccountBrowserTests), nameof(ScriptOff_ActivateSignOutSignInAndReadTheAccessLog), javaScript: false);
        var page = window.Page;

        await window.GotoAsync(activation, "activate");
        await ActivateAsync(window);
        await Assertions.Expect(page.GetByText($"You are signed in as {Email}")).ToBeVisibleAsync();
        await window.SubmitAsync(page.GetByRole(AriaRole.Main).GetByRole(AriaRole.Button, new() { Name = "Sign out" }), "signed-out");
        await page.GetByLabel("E-mail address").FillAsync(Email);
        await window.FillSecretAsync(page.GetByLabel("Password"), Password);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }), "signed-in");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Who used my data" }), "access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).Not.ToContainTextAsync("Sign-in to the portal");
        await page.GetByLabel("Show my own activity too").CheckAsync();
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Show", Exact = true }), "access-log-mine");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Sign-in to the portal");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Italiano" }), "italiano");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", "it");
    }

    private static async Task ActivateAsync(PortalWindow window)
    {
        var page = window.Page;

        // Nobody types the sign-in address: it is the one the invitation was sent to, shown masked.
        await Assertions.Expect(page.GetByLabel("E-mail address")).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("a***@example.com");
        await window.FillSecretAsync(page.GetByLabel("Password", new() { Exact = true }), Password);
        await window.FillSecretAsync(page.GetByLabel("Password again"), Password);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Create account" }), "activated");
    }
}
