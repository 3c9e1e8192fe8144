using System.Net;
using System.Text.RegularExpressions;

namespace DataVault.Portal.Tests;

public sealed partial class PortalAccountTests
{
    private const string Email = "ana@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Activate_InvitationLink_SetsPasswordLinksSubjectAndSignsIn()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);

        var (status, page) = await browser.GetAsync(activation);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Set up your account", page, StringComparison.Ordinal);
        await browser.ActivateAsync(activation, Password);

        (status, page) = await browser.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"You are signed in as <strong>{Email}</strong>", page, StringComparison.Ordinal);
        Assert.Contains("belongs to your customer record", page, StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT \"SubjectId\" FROM \"AspNetUsers\" WHERE \"NormalizedEmail\" = 'ANA@EXAMPLE.COM';";
        Assert.Equal(subjectId, command.ExecuteScalar());
        command.CommandText = "SELECT COUNT(*) FROM invitations WHERE redeemed_at IS NOT NULL;";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Activate_TokenUsedTwice_SecondTimeRefused()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using (var first = new PortalBrowser(app))
        {
            await first.ActivateAsync(activation, Password);
        }

        using var second = new PortalBrowser(app);
        var (status, page) = await second.GetAsync(activation);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("This link does not work", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Input.Password", page, StringComparison.Ordinal);

        // Posting the form again (a second tab) does not create a second account either.
        var token = activation[(activation.IndexOf('=', StringComparison.Ordinal) + 1)..];
        var (_, loginPage) = await second.GetAsync("/account/login");
        using var replay = await second.PostAsync(activation, new Dictionary<string, string>
        {
            ["Token"] = Uri.UnescapeDataString(token),
            ["Input.Email"] = "mallory@example.com",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        }, PortalBrowser.AntiforgeryToken(loginPage));
        Assert.Equal(HttpStatusCode.NotFound, replay.StatusCode);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM \"AspNetUsers\";";
        Assert.Equal(1L, command.ExecuteScalar());
    }

    [Fact]
    public async Task Activate_ExpiredToken_Refused()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api);
        using var browser = new PortalBrowser(app);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(activation)).Status);

        time.Advance(TimeSpan.FromDays(7) + TimeSpan.FromSeconds(1));

        var (status, page) = await browser.GetAsync(activation);
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("has expired", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("%00%3Cscript%3E")]
    public async Task Activate_UnknownOrMalformedToken_Refused(string token)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        var (status, page) = await browser.GetAsync($"/account/activate?token={token}");

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("This link does not work", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Activate_ShortPasswordOrMismatch_ShowsErrorsAndKeepsTheLink()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);

        using var response = await browser.SubmitAsync(activation, new Dictionary<string, string>
        {
            ["Input.Password"] = "too short",
            ["Input.ConfirmPassword"] = "too short",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("at least 12 characters", page, StringComparison.Ordinal);
        await browser.ActivateAsync(activation, Password);
    }

    [Fact]
    public async Task Landing_NotSignedIn_RedirectsToLogin()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync("/");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/account/login", response.Headers.Location!.OriginalString, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_CorrectPassword_SignsInWithAHardenedCookie()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using (var setup = new PortalBrowser(app))
        {
            await setup.ActivateAsync(activation, Password);
        }

        using var browser = new PortalBrowser(app);
        using var response = await browser.SignInAsync("ANA@example.com", Password);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var cookie = Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith("DataVault.Portal=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);
    }

    [Fact]
    public async Task Login_WithoutAntiforgeryToken_Returns400()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.PostAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = Email, ["Input.Password"] = Password }, antiforgeryToken: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Login_FiveWrongPasswords_LockTheAccountEvenForTheRightOne()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using (var setup = new PortalBrowser(app))
        {
            await setup.ActivateAsync(activation, Password);
        }

        using var browser = new PortalBrowser(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var wrong = await browser.SignInAsync(Email, "not the password at all");
            Assert.Equal(HttpStatusCode.OK, wrong.StatusCode);
            Assert.Contains("Sign-in failed", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var right = await browser.SignInAsync(Email, Password);

        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Contains("Sign-in failed", await right.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.False(right.Headers.TryGetValues("Set-Cookie", out var cookies) && cookies.Any(c => c.StartsWith("DataVault.Portal=", StringComparison.Ordinal)));
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT \"LockoutEnd\" FROM \"AspNetUsers\";";
        var lockedUntil = DateTimeOffset.Parse((string)command.ExecuteScalar()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(lockedUntil - DateTimeOffset.UtcNow, TimeSpan.FromMinutes(14), TimeSpan.FromMinutes(15));
    }

    [Fact]
    public async Task Login_UnknownAddress_SameAnswerAsWrongPassword()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.SignInAsync("nobody@example.com", Password);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("Sign-in failed", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TooManyAttemptsFromOneAddress_Returns429WithRetryAfter()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Portal:SignInAttemptsPerAddressPerMinute"] = "3" });
        using var browser = new PortalBrowser(app);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            using var allowed = await browser.SignInAsync($"user{attempt}@example.com", Password);
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await browser.SignInAsync("user9@example.com", Password);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.InRange(int.Parse(Assert.Single(limited.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture), 1, 60);
        Assert.Contains("Too many sign-in attempts", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_TooManyAttemptsForOneAccount_Returns429()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Portal:SignInAttemptsPerAccountPerMinute"] = "2" });
        using var browser = new PortalBrowser(app);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            using var allowed = await browser.SignInAsync(Email, "wrong password guess");
            Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        }

        using var limited = await browser.SignInAsync(Email.ToUpperInvariant(), "wrong password guess");
        using var other = await browser.SignInAsync("someone.else@example.com", "wrong password guess");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task TwoFactor_EnableThenSignIn_AsksForTheTotpCode()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        var (status, page) = await browser.GetAsync("/account/two-factor");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("src=\"data:image/png;base64,", page, StringComparison.Ordinal);
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        Assert.Equal(32, key.Length);
        app.Monitor.Remember(key);

        using (var wrong = await browser.PostAsync("/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = "000000" }, PortalBrowser.AntiforgeryToken(page)))
        {
            Assert.Contains("That code is not valid", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var enable = await browser.PostAsync("/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(page)))
        {
            Assert.Equal(HttpStatusCode.OK, enable.StatusCode);
            Assert.Contains("Two-factor sign-in is now on", await enable.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var fresh = new PortalBrowser(app);
        using var password = await fresh.SignInAsync(Email, Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/login-2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await fresh.Http.GetAsync("/")).StatusCode);

        using var code = await fresh.SubmitAsync("/account/login-2fa", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/", code.Headers.Location!.OriginalString);
        Assert.Contains("Two-factor sign-in</a> (on)", (await fresh.GetAsync("/")).Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoFactor_Disable_RequiresThePasswordAndACurrentCode()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, page) = await browser.GetAsync("/account/two-factor");
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        (await browser.PostAsync("/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(page))).Dispose();
        (_, page) = await browser.GetAsync("/account/two-factor");

        foreach (var attempt in new Dictionary<string, string>[]
        {
            new() { ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) },
            new() { ["Confirm.Password"] = "not my password at all", ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) },
            new() { ["Confirm.Password"] = Password, ["Confirm.Code"] = "123456" },
        })
        {
            using var refused = await browser.PostAsync("/account/two-factor?handler=Disable", attempt, PortalBrowser.AntiforgeryToken(page));
            Assert.Contains("<strong>Two-factor sign-in is on.</strong>", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using var disable = await browser.PostAsync(
            "/account/two-factor?handler=Disable",
            new Dictionary<string, string> { ["Confirm.Password"] = Password, ["Confirm.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) },
            PortalBrowser.AntiforgeryToken(page));
        var after = await disable.Content.ReadAsStringAsync();
        Assert.Contains("Two-factor sign-in is now off", after, StringComparison.Ordinal);
        Assert.NotEqual(key, SharedKey().Match(after).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant());

        // Two wrong confirmations are on record as refused; the change is on record as attempted, then made.
        var entries = app.AuditEntries().Where(e => e.SubjectId == subjectId).ToList();
        Assert.Equal(2, entries.Count(e => e.Action == "account.reauthenticate" && e.Outcome == "denied"));
        Assert.Equal(["attempted", "success"], entries.Where(e => e.Action == "account.two-factor-disable").Select(e => e.Outcome));
    }

    [Fact]
    public async Task PortalCookie_OnApiRoutes_Returns401()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).Status);

        using var read = await browser.Http.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery");
        using var invite = await browser.Http.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Unauthorized, read.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, invite.StatusCode);
    }

    [Fact]
    public async Task Logout_Post_EndsTheSession()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        using var response = await browser.SubmitAsync("/", new Dictionary<string, string>(), "/account/logout");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Erase_SubjectWithAccount_DeletesTheAccountAndEndsItsSession()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, Email);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        using var erased = await api.DeleteAsync($"/api/v1/subjects/{subjectId}");

        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        using (var db = app.OpenDatabase())
        using (var command = db.CreateCommand())
        {
            command.CommandText = "SELECT (SELECT COUNT(*) FROM \"AspNetUsers\") + (SELECT COUNT(*) FROM invitations);";
            Assert.Equal(0L, command.ExecuteScalar());
        }

        Assert.Equal(HttpStatusCode.Redirect, (await browser.Http.GetAsync("/")).StatusCode);
        using var again = await new PortalBrowser(app).SignInAsync(Email, Password);
        Assert.Contains("Sign-in failed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_SendSecurityHeadersAndTheStylesheet()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var page = await browser.Http.GetAsync("/account/login");
        using var css = await browser.Http.GetAsync("/assets/portal.css");

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("frame-ancestors 'none'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Equal("no-referrer", page.Headers.GetValues("Referrer-Policy").Single());
        Assert.Contains("no-store", page.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public void Totp_Rfc6238TestVector_Matches()
    {
        // RFC 6238 Appendix B: SHA-1, secret "12345678901234567890", T = 59 s, 8 digits.
        Assert.Equal("94287082", Totp.Code("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", DateTimeOffset.FromUnixTimeSeconds(59), digits: 8));
    }

    [GeneratedRegex("<code class=\"shared-key\"[^>]*>([a-z2-7 ]+)</code>", RegexOptions.CultureInvariant)]
    private static partial Regex SharedKey();
}
