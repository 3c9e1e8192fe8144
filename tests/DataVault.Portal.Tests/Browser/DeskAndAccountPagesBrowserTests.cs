using System.Net;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// Every page of the officer's desk and of the account (sign-in and its second step, recovery, forgot and reset
/// password, two-factor set-up, recovery codes) in a real chromium, on a 390×844 phone and a 1280×800 screen, in
/// each of the portal's languages: axe-core finds no WCAG A/AA violation and nothing makes the reader scroll sideways.
/// </summary>
[Collection(SharedChromium.Name)]
public sealed class DeskAndAccountPagesBrowserTests(ChromiumFixture chromium)
{
    private static readonly (int Width, int Height)[] Screens = [(390, 844), (1280, 800)];

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task EveryDeskAndAccountPage_FitsAPhoneAndADesktop_AndPassesAxe(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var (subjectId, _) = await Journeys.CustomerWithAHistoryAsync(app);
        var test = $"{nameof(EveryDeskAndAccountPage_FitsAPhoneAndADesktop_AndPassesAxe)}-{language}";
        var officer = await PortalSignIns.AddOfficerAsync(app);

        foreach (var (width, height) in Screens)
        {
            await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(DeskAndAccountPagesBrowserTests), $"{test}-{width}", acceptLanguage: language, width: width);
            var page = window.Page;
            await page.SetViewportSizeAsync(width, height);
            var at = $"{width}px";

            // Before signing in: sign-in, forgot password and its answer, links that no longer work.
            await VisitAsync(window, "/account/login", $"login-{at}");
            await VisitAsync(window, "/account/forgot-password", $"forgot-{at}");
            await page.Locator("#Input_Email").FillAsync("nobody.here@example.com");
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"forgot-sent-{at}");
            await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToBeVisibleAsync();
            await window.AssertFitsWidthAsync($"forgot-sent-{at}");
            await VisitAsync(window, "/account/reset-password?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", $"reset-expired-{at}");
            await VisitAsync(window, "/account/activate?token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", $"activate-expired-{at}");

            // The password, then the second step and its recovery-code alternative.
            await VisitAsync(window, "/account/login", $"login-again-{at}");
            await page.Locator("#Input_Email").FillAsync(officer.Email);
            await window.FillSecretAsync(page.Locator("#Input_Password"), officer.Password);
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"login-2fa-{at}");
            await window.AssertFitsWidthAsync($"login-2fa-{at}");
            await VisitAsync(window, "/account/login-recovery", $"login-recovery-{at}");
            await VisitAsync(window, "/account/login-2fa", $"login-2fa-again-{at}");
            await page.Locator("#Input_Code").FillAsync(Totp.Code(officer.AuthenticatorKey!, DateTimeOffset.UtcNow));
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"home-{at}");
            await window.AssertFitsWidthAsync($"home-{at}");

            // The desk, every page, with something to show.
            await VisitAsync(window, "/desk/audit", $"audit-{at}");
            await VisitAsync(window, $"/desk/audit?subject={subjectId}", $"audit-subject-{at}");
            await window.SubmitAsync(page.Locator("form[action*='handler=Verify'] button[type=submit]"), $"audit-verified-{at}");
            await window.AssertFitsWidthAsync($"audit-verified-{at}");
            await VisitAsync(window, "/desk/consents", $"consents-{at}");
            await VisitAsync(window, "/desk/record", $"record-{at}");
            await VisitAsync(window, "/desk/invite", $"invite-{at}");
            await VisitAsync(window, "/desk/subjects", $"find-{at}");
            await page.Locator("#find").FillAsync("ana.pages@example.com");
            await window.SubmitAsync(page.Locator("main form button[type=submit]").First, $"customer-{at}");
            await Assertions.Expect(page).ToHaveURLAsync($"{app.ClientOptions.BaseAddress.ToString().TrimEnd('/')}/desk/subjects/{subjectId}");
            await window.AssertFitsWidthAsync($"customer-{at}");

            // The account's own pages.
            await VisitAsync(window, "/account/two-factor", $"two-factor-{at}");
            await VisitAsync(window, "/account/recovery-codes", $"recovery-codes-{at}");
            await window.SubmitAsync((await window.MenuAsync()).Locator("form[action='/account/logout'] button[type=submit]"), $"signed-out-{at}");
        }
    }

    [Fact]
    public async Task ForgotPassword_OnAPhone_TheLinkThatArrivesSetsANewPasswordOnce()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(DeskAndAccountPagesBrowserTests), nameof(ForgotPassword_OnAPhone_TheLinkThatArrivesSetsANewPasswordOnce), width: 390);
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window, "ana.forgets@example.com");
        await window.SubmitAsync((await window.MenuAsync()).Locator("form[action='/account/logout'] button[type=submit]"), "signed-out");

        await window.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }), "forgot");
        await page.GetByLabel("E-mail address").FillAsync("ana.forgets@example.com");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send me a link" }), "sent");
        var link = DeliveredMail.PasswordResetLink(await DeliveredMail.WaitForEmlToAsync(app, "ana.forgets@example.com", "Choose a new password"));
        app.Monitor.Remember(link.Query["?token=".Length..]);

        await window.GotoAsync(link.PathAndQuery, "reset");
        const string NewPassword = "my new and longer passphrase";
        await window.FillSecretAsync(page.GetByLabel("New password"), NewPassword);
        await window.FillSecretAsync(page.GetByLabel("Password again"), NewPassword);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Save the new password" }), "saved");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Your new password is saved.");
        await page.Locator("#Input_Email").FillAsync("ana.forgets@example.com");
        await window.FillSecretAsync(page.Locator("#Input_Password"), NewPassword);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "signed-in");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your account");

        var again = await window.GotoAsync(link.PathAndQuery, "used");
        Assert.Equal((int)HttpStatusCode.NotFound, again.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("This link does not work");
        await window.AssertFitsWidthAsync("used");
    }

    private static async Task VisitAsync(PortalWindow window, string path, string step)
    {
        await window.GotoAsync(path, step);
        await window.AssertFitsWidthAsync(step);
    }
}
