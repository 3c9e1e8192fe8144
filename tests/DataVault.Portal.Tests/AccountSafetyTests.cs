using System.Net;
using System.Text.RegularExpressions;
using DataVault.Vault.Accounts;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>
/// Account safety and recovery: "forgot password" by e-mail, recovery codes, the password asked again before
/// grave steps, two-factor sign-in required for staff, and every change audited and told to the holder by e-mail.
/// </summary>
public sealed partial class AccountSafetyTests
{
    private const string Email = "ana.safe@example.com";
    private const string Password = "correct horse battery staple";
    private const string NewPassword = "a brand new passphrase for ana";
    private const string ResetSubject = "Choose a new password";
    private const string ChangeSubject = "Your privacy portal account was changed";

    [Fact]
    public async Task ForgotPassword_KnownAddress_MailArrives_AndItsLinkWorksOnce()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using (var customer = new PortalBrowser(app))
        {
            await customer.ActivateAsync(activation, Password);
        }

        using var browser = new PortalBrowser(app);
        using (var asked = await browser.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Email }))
        {
            Assert.Equal(HttpStatusCode.OK, asked.StatusCode);
            Assert.Contains("If an account signs in with this address", await asked.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var link = DeliveredMail.PasswordResetLink(await DeliveredMail.WaitForEmlToAsync(app, Email, ResetSubject));
        app.Monitor.Remember(link.Query["?token=".Length..]);
        var (status, form) = await browser.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Choose a new password", form, StringComparison.Ordinal);

        app.Monitor.Remember(NewPassword);
        using (var reset = await browser.PostAsync(
            link.PathAndQuery,
            new Dictionary<string, string> { ["Input.Password"] = NewPassword, ["Input.ConfirmPassword"] = NewPassword },
            PortalBrowser.AntiforgeryToken(form)))
        {
            Assert.Equal(HttpStatusCode.Redirect, reset.StatusCode);
            Assert.Equal("/account/login?done=password-changed", reset.Headers.Location!.OriginalString);
        }

        // The link is used up; the new password signs in, the old one no longer does.
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(link.PathAndQuery)).Status);
        using (var again = await browser.PostAsync(
            link.PathAndQuery,
            new Dictionary<string, string> { ["Input.Password"] = "yet another passphrase here", ["Input.ConfirmPassword"] = "yet another passphrase here" },
            PortalBrowser.AntiforgeryToken(form)))
        {
            Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        }

        using (var old = await new PortalBrowser(app).SignInAsync(Email, Password))
        {
            Assert.Equal(HttpStatusCode.OK, old.StatusCode);
        }

        using (var signedIn = await new PortalBrowser(app).SignInAsync(Email, NewPassword))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
            Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        }

        // The holder is told of the change at the address on record, and the trail has the request and the change.
        await DeliveredMail.WaitForEmlToAsync(app, Email, ChangeSubject);
        var entries = app.AuditEntries().Where(e => e.SubjectId == subjectId).ToList();
        Assert.Contains(entries, e => e.Action == "account.password-reset-request" && e.Outcome == "success" && e.ActorType == "subject");
        Assert.Equal(["attempted", "success"], entries.Where(e => e.Action == "account.password-reset").Select(e => e.Outcome));
    }

    [Fact]
    public async Task ForgotPassword_UnknownAddress_AnswersTheSame_AndSendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using (var customer = new PortalBrowser(app))
        {
            await customer.ActivateAsync(activation, Password);
        }

        const string Unknown = "nobody.here@example.com";
        app.Monitor.Remember(Unknown);
        using var browser = new PortalBrowser(app);
        using var unknown = await browser.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Unknown });
        using var known = await browser.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Email });

        Assert.Equal(known.StatusCode, unknown.StatusCode);
        Assert.Equal(MainOf(await known.Content.ReadAsStringAsync()), MainOf(await unknown.Content.ReadAsStringAsync()));

        // Requests are handled in order: once the known address's link has arrived, the unknown one was handled too.
        await DeliveredMail.WaitForEmlToAsync(app, Email, ResetSubject);
        Assert.Empty(await DeliveredMail.EmlsToAsync(app, Unknown));
        Assert.Contains(app.AuditEntries(), e => e.Action == "account.password-reset-request" && e.ActorType == "anonymous" && e.Outcome == "not-found");
    }

    [Fact]
    public async Task ForgotPassword_TooManyRequestsForOneAddress_AreRefusedWith429_WhetherOrNotItIsKnown()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        const string Address = "flooded@example.com";
        app.Monitor.Remember(Address);

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
        {
            using var response = await browser.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Address });
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task ResetLink_AfterItsLifetime_NoLongerWorks()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        using (await browser.SubmitAsync("/account/forgot-password", new Dictionary<string, string> { ["Input.Email"] = Email }))
        {
        }

        var link = DeliveredMail.PasswordResetLink(await DeliveredMail.WaitForEmlToAsync(app, Email, ResetSubject));
        app.Monitor.Remember(link.Query["?token=".Length..]);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(link.PathAndQuery)).Status);

        time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        var (status, page) = await browser.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("This link does not work", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryCode_SignsInOnce_AndItsUseIsToldByEmail()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, codes) = await EnableTwoFactorAsync(app, browser);
        Assert.Equal(10, codes.Count);

        using (var first = new PortalBrowser(app))
        {
            Assert.Equal(HttpStatusCode.Redirect, await SignInWithRecoveryCodeAsync(first, codes[3]));
            Assert.Equal(HttpStatusCode.OK, (await first.GetAsync("/my/data")).Status);
        }

        // The same code a second time is refused (in lower case, without its dash: still the same code).
        using (var second = new PortalBrowser(app))
        {
            Assert.Equal(HttpStatusCode.OK, await SignInWithRecoveryCodeAsync(second, codes[3].Replace("-", string.Empty, StringComparison.Ordinal).ToLowerInvariant()));
            Assert.Equal(HttpStatusCode.Redirect, (await second.Http.GetAsync("/my/data")).StatusCode);
        }

        var (_, page) = await browser.GetAsync("/account/recovery-codes");
        Assert.Contains("You have 9 unused recovery codes.", page, StringComparison.Ordinal);
        var entries = app.AuditEntries().Where(e => e.SubjectId == subjectId).ToList();
        Assert.Equal(["success", "denied"], entries.Where(e => e.Action == "account.recovery-code-sign-in").Select(e => e.Outcome));

        // Told by e-mail: two-factor sign-in turned on, then a recovery code used. No code is stored in the clear.
        await WaitForNoticesAsync(app, 2);
        Assert.DoesNotContain(codes[4], await File.ReadAllTextAsync(app.DatabasePath), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecoveryCodes_MadeAnew_AfterThePasswordAndACode_ReplaceTheOldOnes()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (key, old) = await EnableTwoFactorAsync(app, browser);

        var (_, page) = await browser.GetAsync("/account/recovery-codes");
        using (var withoutPassword = await browser.PostAsync("/account/recovery-codes", new Dictionary<string, string> { ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(page)))
        {
            Assert.DoesNotMatch(CodeItem(), await withoutPassword.Content.ReadAsStringAsync());
        }

        using var made = await browser.PostAsync(
            "/account/recovery-codes",
            new Dictionary<string, string> { ["Confirm.Password"] = Password, ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) },
            PortalBrowser.AntiforgeryToken(page));
        Assert.Contains("no-store", made.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var fresh = CodeItem().Matches(await made.Content.ReadAsStringAsync()).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(old));

        using (var oldCode = new PortalBrowser(app))
        {
            Assert.Equal(HttpStatusCode.OK, await SignInWithRecoveryCodeAsync(oldCode, old[0]));
        }

        using (var newCode = new PortalBrowser(app))
        {
            Assert.Equal(HttpStatusCode.Redirect, await SignInWithRecoveryCodeAsync(newCode, fresh[0]));
        }

        Assert.Equal(["attempted", "success"], app.AuditEntries().Where(e => e.SubjectId == subjectId && e.Action == "account.recovery-codes").Select(e => e.Outcome));
        await WaitForNoticesAsync(app, 3);
    }

    [Fact]
    public async Task Erase_WithAWrongPassword_ErasesNothing_AndIsOnRecordAsRefused()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, form) = await browser.GetAsync("/my/erase");
        Assert.Contains("name=\"Confirm.Password\"", form, StringComparison.Ordinal);

        using (var missing = await browser.PostAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true" }, PortalBrowser.AntiforgeryToken(form)))
        {
            Assert.Equal(HttpStatusCode.OK, missing.StatusCode);
            Assert.Contains("<span id=\"Confirm_Password-error\" class=\"field-error\">Enter your password.</span>", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        app.Monitor.Remember("somebody else's guess");
        using (var wrong = await browser.PostAsync(
            "/my/erase",
            new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = "somebody else's guess" },
            PortalBrowser.AntiforgeryToken(form)))
        {
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("The password is not right.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
        var entries = app.AuditEntries().Where(e => e.SubjectId == subjectId).ToList();
        Assert.DoesNotContain(entries, e => e.Action == "subject.erase");
        Assert.Single(entries, e => e.Action == "account.reauthenticate" && e.Outcome == "denied");
    }

    [Fact]
    public async Task Erase_WithTwoFactorOn_AsksForACodeToo()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (key, _) = await EnableTwoFactorAsync(app, browser);
        var (_, form) = await browser.GetAsync("/my/erase");
        Assert.Contains("name=\"Confirm.Code\"", form, StringComparison.Ordinal);

        using (var passwordOnly = await browser.PostAsync(
            "/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }, PortalBrowser.AntiforgeryToken(form)))
        {
            Assert.Contains("Confirm_Code-error", await passwordOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
        using var erased = await browser.PostAsync(
            "/my/erase",
            new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password, ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) },
            PortalBrowser.AntiforgeryToken(form));
        Assert.Contains("Your data has been erased", await erased.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Gone, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
    }

    [Theory]
    [InlineData(AccountRoles.Officer, "/desk/audit")]
    [InlineData(AccountRoles.Officer, "/desk/subjects")]
    [InlineData(AccountRoles.Officer, "/")]
    [InlineData(AccountRoles.Admin, "/")]
    public async Task StaffWithoutTwoFactor_IsSentToSetItUp_BeforeAnyPage(string role, string path)
    {
        await using var app = new DataVaultApplication();
        const string StaffEmail = "new.staff@example.com";
        string password;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var added = await scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(StaffEmail, role, CancellationToken.None);
            password = added.Value!.Password;
            app.Monitor.Remember(password);
        }

        using var browser = new PortalBrowser(app);
        using (var signedIn = await browser.SignInAsync(StaffEmail, password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var response = await browser.Http.GetAsync(path);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/two-factor", response.Headers.Location!.OriginalString);
        var (status, setUp) = await browser.GetAsync("/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Your account is a staff account: it must use two-factor sign-in.", setUp, StringComparison.Ordinal);
        Assert.DoesNotContain(app.AuditEntries(), e => e.Action is "audit.search" or "consent.read");
    }

    [Fact]
    public async Task OfficerWithoutTwoFactor_CannotOpenTheDesk_UntilTheyTurnItOn()
    {
        await using var app = new DataVaultApplication();
        var officer = await PortalSignIns.AddOfficerAsync(app, twoFactor: false);
        using var browser = new PortalBrowser(app);
        using (await browser.SignInAsync(officer.Email, officer.Password))
        {
        }

        // Neither a page nor a form of the desk: the verification is not run, nothing is recorded as the officer's.
        using (var verify = await browser.PostAsync("/desk/audit?handler=Verify", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken((await browser.GetAsync("/account/two-factor")).Html)))
        {
            Assert.Equal(HttpStatusCode.Redirect, verify.StatusCode);
            Assert.Equal("/account/two-factor", verify.Headers.Location!.OriginalString);
        }

        Assert.DoesNotContain(app.AuditEntries(), e => e.Action == "audit.verify");
        await EnableTwoFactorAsync(app, browser);

        var (status, desk) = await browser.GetAsync("/desk/audit");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Audit trail", desk, StringComparison.Ordinal);
        Assert.Equal(["attempted", "success"], app.AuditEntries().Where(e => e.ActorId == officer.Id && e.Action == "account.two-factor-enable").Select(e => e.Outcome));
        await DeliveredMail.WaitForEmlToAsync(app, officer.Email, ChangeSubject);
    }

    /// <summary>Turns two-factor sign-in on in <paramref name="browser"/>; returns the shared key and the recovery codes shown once.</summary>
    private static async Task<(string Key, List<string> Codes)> EnableTwoFactorAsync(DataVaultApplication app, PortalBrowser browser)
    {
        var (_, page) = await browser.GetAsync("/account/two-factor");
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        using var enabled = await browser.PostAsync(
            "/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(page));
        var html = await enabled.Content.ReadAsStringAsync();
        Assert.Contains("Two-factor sign-in is now on", html, StringComparison.Ordinal);
        var codes = CodeItem().Matches(html).Select(m => m.Groups[1].Value).ToList();
        codes.ForEach(app.Monitor.Remember);
        return (key, codes);
    }

    /// <summary>Password, then a recovery code instead of the app's code; returns the status of the last step (302 when signed in, 200 when refused).</summary>
    private static async Task<HttpStatusCode> SignInWithRecoveryCodeAsync(PortalBrowser browser, string code)
    {
        using var password = await browser.SignInAsync(Email, Password);
        Assert.StartsWith("/account/login-2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var recovery = await browser.SubmitAsync("/account/login-recovery", new Dictionary<string, string> { ["Input.Code"] = code });
        return recovery.StatusCode;
    }

    /// <summary>Waits until <paramref name="count"/> notices of account changes were written to the customer's address.</summary>
    private static async Task WaitForNoticesAsync(DataVaultApplication app, int count)
    {
        var deadline = DateTime.UtcNow + SmtpTestServer.DefaultWait;
        while ((await DeliveredMail.EmlsToAsync(app, Email)).Count(m => m.Subject == ChangeSubject) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"Fewer than {count} notices of account changes arrived.");
            await Task.Delay(50);
        }
    }

    private static string MainOf(string html) => Regex.Match(html, "<main[^>]*>(.*)</main>", RegexOptions.Singleline).Groups[1].Value;

    [GeneratedRegex("<code class=\"shared-key\">([A-Za-z0-9 ]+)</code>")]
    private static partial Regex SharedKey();

    [GeneratedRegex("<li><code>([A-Z0-9-]+)</code></li>")]
    private static partial Regex CodeItem();
}
