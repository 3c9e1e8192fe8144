using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// Account safety as the holder meets it in a real chromium, in English, Catalan and Estonian, each page checked
/// on a 390×844 phone and a 1280×800 screen: recovery codes shown once, each signing in once; the password and a
/// current code asked again before two-factor sign-in is turned off or the data erased; staff sent to set up
/// two-factor sign-in before the desk; every change on record and told to the holder by e-mail in their language.
/// </summary>
[Collection(SharedChromium.Name)]
public sealed class AccountSafetyBrowserTests(ChromiumFixture chromium)
{
    /// <summary>The subject of the notice of a change to the account, per language (AccountMail).</summary>
    private static readonly Dictionary<string, string> ChangeSubject = new(StringComparer.Ordinal)
    {
        ["en"] = "Your privacy portal account was changed",
        ["ca"] = "S'ha canviat el teu compte del portal de privadesa",
        ["et"] = "Sinu privaatsusportaali kontot muudeti",
    };

    [Theory]
    [InlineData("en")]
    [InlineData("ca")]
    [InlineData("et")]
    public async Task RecoveryCode_SignsInOnce_AndTurningTwoFactorOffOrErasingAsksForThePasswordAndACode(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var email = $"ana.safe.{language}@example.com";
        var test = $"{nameof(RecoveryCode_SignsInOnce_AndTurningTwoFactorOffOrErasingAsksForThePasswordAndACode)}-{language}";
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(AccountSafetyBrowserTests), test, width: 390);
        var page = window.Page;
        var subjectId = await Journeys.ActivateCustomerAsync(app, window, email);
        await window.SwitchLanguageAsync(language);
        string T(string english) => Journeys.Text("AccountText", english, language);

        // Two-factor sign-in on: ten recovery codes, shown this once.
        await window.GotoAsync("/account/two-factor", "two-factor");
        var key = (await page.Locator("code.shared-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        await page.Locator("#Input_Code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = T("Turn on two-factor sign-in") }), "two-factor-on");
        var codes = await page.Locator("ol.code-list code").AllInnerTextsAsync();
        Assert.Equal(10, codes.Count);
        foreach (var code in codes)
        {
            app.Monitor.Remember(code);
        }

        await window.CheckOnPhoneAndDesktopAsync("codes-shown");
        await window.GotoAsync("/account/recovery-codes", "codes-page");
        Assert.Equal(0, await page.Locator("ol.code-list").CountAsync());

        // A recovery code instead of the app's code signs in once; the same code again is refused.
        await SignOutAsync(window);
        await SignInWithRecoveryCodeAsync(window, email, codes[0], "first-use");
        await Assertions.Expect((await window.MenuAsync()).Locator("a[href='/my/data']")).ToBeVisibleAsync();
        await SignOutAsync(window);
        await SignInWithRecoveryCodeAsync(window, email, codes[0], "second-use");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(T("That recovery code is not valid, or it has been used already."));
        await window.CheckOnPhoneAndDesktopAsync("second-use-refused");
        await SignInWithRecoveryCodeAsync(window, email, codes[1], "another-code", fromTheStart: false);
        await Assertions.Expect((await window.MenuAsync()).Locator("a[href='/my/data']")).ToBeVisibleAsync();

        // Erasure asks for the password and a current code again: a wrong password erases nothing.
        await window.GotoAsync("/my/erase", "erase");
        await window.FillSecretAsync(page.Locator("#Confirm_Password"), "not my password at all");
        await page.Locator("#Confirm_Code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await page.Locator("#understood").CheckAsync();
        await window.SubmitAsync(page.Locator("main form button.danger"), "erase-wrong-password");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(T("The password or the code is not right. Codes change every 30 seconds; enter the one your app shows now."));
        await window.CheckOnPhoneAndDesktopAsync("erase-refused");

        // Turning two-factor sign-in off asks for them too.
        await window.GotoAsync("/account/two-factor", "two-factor-is-on");
        await window.FillSecretAsync(page.Locator("#Confirm_Password"), Journeys.Password);
        await page.Locator("#Confirm_Code").FillAsync("000000");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = T("Turn off two-factor sign-in") }), "off-wrong-code");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(T("The password or the code is not right. Codes change every 30 seconds; enter the one your app shows now."));
        await window.CheckOnPhoneAndDesktopAsync("off-refused");
        await window.FillSecretAsync(page.Locator("#Confirm_Password"), Journeys.Password);
        await page.Locator("#Confirm_Code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = T("Turn off two-factor sign-in") }), "off");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(T("Two-factor sign-in is now off."));
        await window.CheckOnPhoneAndDesktopAsync("off");

        // Every change is on record, refusals too, and each change is told by e-mail in the customer's language.
        var entries = app.AuditEntries().Where(e => e.SubjectId == subjectId).ToList();
        Assert.Equal(["attempted", "success"], entries.Where(e => e.Action == "account.two-factor-enable").Select(e => e.Outcome));
        Assert.Equal(["success", "denied", "success"], entries.Where(e => e.Action == "account.recovery-code-sign-in").Select(e => e.Outcome));
        Assert.Equal(2, entries.Count(e => e.Action == "account.reauthenticate" && e.Outcome == "denied"));
        Assert.Equal(["attempted", "success"], entries.Where(e => e.Action == "account.two-factor-disable").Select(e => e.Outcome));
        Assert.DoesNotContain(entries, e => e.Action == "subject.erase" && e.Outcome != "denied");

        // Two-factor on, two recovery codes used, two-factor off.
        var deadline = DateTime.UtcNow + SmtpTestServer.DefaultWait;
        while ((await DeliveredMail.EmlsToAsync(app, email)).Count(m => m.Subject == ChangeSubject[language]) < 4)
        {
            Assert.True(DateTime.UtcNow < deadline, "Fewer than four notices of account changes arrived in the customer's language.");
            await Task.Delay(50);
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ca")]
    [InlineData("et")]
    public async Task Officer_WithoutTwoFactor_IsSentToSetItUp_ThenReachesTheDesk(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var officer = await PortalSignIns.AddOfficerAsync(app, twoFactor: false);
        var test = $"{nameof(Officer_WithoutTwoFactor_IsSentToSetItUp_ThenReachesTheDesk)}-{language}";
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(AccountSafetyBrowserTests), test, acceptLanguage: language, width: 390);
        var page = window.Page;
        string T(string english) => Journeys.Text("AccountText", english, language);

        await window.GotoAsync("/account/login", "login");
        await page.Locator("#Input_Email").FillAsync(officer.Email);
        await window.FillSecretAsync(page.Locator("#Input_Password"), officer.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "signed-in");
        await window.GotoAsync("/desk/audit", "desk-refused");
        Assert.EndsWith("/account/two-factor", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync(T("Your account is a staff account: it must use two-factor sign-in. Set it up below to continue to the desk."));
        await window.CheckOnPhoneAndDesktopAsync("set-up-first");

        var key = (await page.Locator("code.shared-key").InnerTextAsync()).Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        await page.Locator("#Input_Code").FillAsync(Totp.Code(key, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = T("Turn on two-factor sign-in") }), "two-factor-on");
        foreach (var code in await page.Locator("ol.code-list code").AllInnerTextsAsync())
        {
            app.Monitor.Remember(code);
        }

        var desk = await window.GotoAsync("/desk/audit", "desk");
        Assert.True(desk.Ok, $"{desk.Status}");
        Assert.EndsWith("/desk/audit", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await window.CheckOnPhoneAndDesktopAsync("desk");
        Assert.Equal(["attempted", "success"], app.AuditEntries().Where(e => e.ActorId == officer.Id && e.Action == "account.two-factor-enable").Select(e => e.Outcome));
        await DeliveredMail.WaitForEmlToAsync(app, officer.Email, ChangeSubject[language]);
    }

    private static async Task SignOutAsync(PortalWindow window) =>
        await window.SubmitAsync((await window.MenuAsync()).Locator("form[action='/account/logout'] button[type=submit]"), "signed-out");

    /// <summary>The password, then on the second step the recovery code instead of the app's code (from the sign-in page unless already on the recovery page).</summary>
    private static async Task SignInWithRecoveryCodeAsync(PortalWindow window, string email, string code, string step, bool fromTheStart = true)
    {
        var page = window.Page;
        if (fromTheStart)
        {
            await window.GotoAsync("/account/login", $"{step}-login");
            await page.Locator("#Input_Email").FillAsync(email);
            await window.FillSecretAsync(page.Locator("#Input_Password"), Journeys.Password);
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"{step}-second-step");
            await window.SubmitAsync(page.Locator("main a[href^='/account/login-recovery']"), $"{step}-recovery");
        }

        await page.Locator("#Input_Code").FillAsync(code);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), step);
    }
}
