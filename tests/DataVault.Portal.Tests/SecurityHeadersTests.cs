using System.Net;
using System.Text.RegularExpressions;

namespace DataVault.Portal.Tests;

/// <summary>
/// The portal's response headers and cookies, on the wire: a strict CSP and the other hardening
/// headers on every portal response (pages, the stylesheet, redirects and error answers for portal
/// addresses), HSTS on HTTPS outside Development, and Secure, HttpOnly, SameSite cookies over HTTPS.
/// </summary>
public sealed partial class SecurityHeadersTests
{
    private static readonly Uri Https = new("https://portal.example");

    /// <summary>The service published at <see cref="Https"/>; the tests' API clients still call it as localhost.</summary>
    private static readonly Dictionary<string, string?> PublishedOverHttps = new()
    {
        ["Api:PublicOrigin"] = Https.ToString(),
        ["AllowedHosts"] = "localhost",
    };

    [Theory]
    [InlineData("/account/login", HttpStatusCode.OK)]
    [InlineData("/account/activate?token=unknown", HttpStatusCode.NotFound)]
    [InlineData("/assets/portal.css", HttpStatusCode.OK)]
    [InlineData("/privacy", HttpStatusCode.OK)]
    [InlineData("/", HttpStatusCode.Redirect)]
    [InlineData("/my/access-log", HttpStatusCode.Redirect)]
    [InlineData("/my/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/desk/no-such-page", HttpStatusCode.NotFound)]
    [InlineData("/account/login-2fa", HttpStatusCode.Redirect)]
    public async Task PortalResponses_Anonymous_CarryTheHardeningHeaders(string path, HttpStatusCode expected)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(expected, response.StatusCode);
        AssertHardened(response);
    }

    [Fact]
    public async Task PortalPages_SignedInCustomerAndOfficer_CarryTheHardeningHeaders()
    {
        await using var app = new DataVaultApplication();
        using var customer = new PortalBrowser(app);
        await PortalSignIns.CustomerAsync(app, customer);
        using var officer = new PortalBrowser(app);
        await PortalSignIns.OfficerAsync(app, officer);

        foreach (var (browser, path) in new[] { (customer, "/"), (customer, "/my/access-log"), (customer, "/account/two-factor"), (customer, "/desk/audit"), (officer, "/"), (officer, "/my/access-log") })
        {
            using var response = await browser.Http.GetAsync(path);
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.Redirect or HttpStatusCode.NotFound, $"{path}: {(int)response.StatusCode}");
            AssertHardened(response);
        }

        using var logout = await customer.SubmitAsync("/", new Dictionary<string, string>(), "/account/logout");
        AssertHardened(logout);
    }

    [Theory]
    [InlineData("/api/v1/purposes")]
    [InlineData("/health")]
    [InlineData("/swagger/index.html")]
    public async Task NonPortalResponses_DoNotGetThePortalsPolicy(string path)
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Api:SwaggerUi"] = "true" });
        using var http = app.CreateClient();

        using var response = await http.GetAsync(path);

        // Swagger UI runs script; the API answers JSON. The portal's no-script policy is not theirs.
        Assert.False(response.Headers.TryGetValues("Content-Security-Policy", out var csp) && csp.Single() == PortalResponseHeaders.ContentSecurityPolicy, path);
    }

    [Fact]
    public async Task Hsts_OutsideDevelopment_OnHttpsOnly()
    {
        await using var app = new DataVaultApplication(settings: PublishedOverHttps);
        using var https = new PortalBrowser(app, Https);
        using var http = new PortalBrowser(app, new Uri("http://portal.example"));

        using var secure = await https.Http.GetAsync("/account/login");
        using var plain = await http.Http.GetAsync("/account/login");

        var hsts = Assert.Single(secure.Headers.GetValues("Strict-Transport-Security"));
        Assert.Matches(@"^max-age=\d{7,}", hsts);
        Assert.False(plain.Headers.Contains("Strict-Transport-Security"));
    }

    [Fact]
    public async Task Hsts_InDevelopment_Absent()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Development" });
        using var https = new PortalBrowser(app, Https);

        using var response = await https.Http.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
        AssertHardened(response);
    }

    [Fact]
    public async Task Cookies_OverHttps_AreSecureHttpOnlyAndSameSite()
    {
        await using var app = new DataVaultApplication(settings: PublishedOverHttps);
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, PortalSignIns.CustomerEmail);
        using var browser = new PortalBrowser(app, Https);
        var cookies = new List<string>();

        using (var page = await browser.Http.GetAsync(activation))
        {
            cookies.AddRange(SetCookies(page));
        }

        await browser.ActivateAsync(activation, PortalSignIns.CustomerPassword);
        using (var signedIn = await browser.SubmitAsync("/", new Dictionary<string, string>(), "/account/logout"))
        {
            cookies.AddRange(SetCookies(signedIn));
        }

        using (var again = await browser.SignInAsync(PortalSignIns.CustomerEmail, PortalSignIns.CustomerPassword))
        {
            cookies.AddRange(SetCookies(again));
        }

        using (var switched = await browser.SubmitAsync("/", new Dictionary<string, string> { ["culture"] = "et", ["returnUrl"] = "/" }, "/language"))
        {
            Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
            cookies.AddRange(SetCookies(switched));
        }

        foreach (var name in new[] { "DataVault.Portal=", "DataVault.Antiforgery=", "DataVault.Culture=" })
        {
            Assert.Contains(cookies, c => c.StartsWith(name, StringComparison.Ordinal));
        }

        foreach (var cookie in cookies)
        {
            Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(new Regex("; samesite=(lax|strict)", RegexOptions.IgnoreCase), cookie);
        }
    }

    [Fact]
    public async Task Cookies_TwoFactorStepOverHttps_AreSecureHttpOnlyAndSameSite()
    {
        await using var app = new DataVaultApplication(settings: PublishedOverHttps);
        using var browser = new PortalBrowser(app, Https);
        await PortalSignIns.CustomerAsync(app, browser);
        var (_, page) = await browser.GetAsync("/account/two-factor");
        var key = SharedKey().Match(page).Groups[1].Value.Replace(" ", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
        app.Monitor.Remember(key);
        (await browser.PostAsync("/account/two-factor?handler=Enable", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) }, PortalBrowser.AntiforgeryToken(page))).Dispose();

        using var fresh = new PortalBrowser(app, Https);
        using var password = await fresh.SignInAsync(PortalSignIns.CustomerEmail, PortalSignIns.CustomerPassword);
        using var code = await fresh.SubmitAsync("/account/login-2fa", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(key, DateTimeOffset.UtcNow) });

        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        var cookies = SetCookies(password).Concat(SetCookies(code)).ToList();
        Assert.Contains(cookies, c => c.StartsWith("Identity.TwoFactorUserId=", StringComparison.Ordinal));
        Assert.Contains(cookies, c => c.StartsWith("DataVault.Portal=", StringComparison.Ordinal));
        Assert.All(cookies, cookie =>
        {
            Assert.Contains("; secure", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(new Regex("; samesite=(lax|strict)", RegexOptions.IgnoreCase), cookie);
        });
    }

    [Fact]
    public async Task Cookies_OverHttp_StillHttpOnlyAndSameSite()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var page = await browser.Http.GetAsync("/account/login");
        using var signedIn = await browser.SignInAsync("nobody@example.com", "not the password at all");

        var cookies = SetCookies(page).Concat(SetCookies(signedIn)).ToList();
        Assert.NotEmpty(cookies);
        Assert.All(cookies, cookie =>
        {
            Assert.Contains("; httponly", cookie, StringComparison.OrdinalIgnoreCase);
            Assert.Matches(new Regex("; samesite=(lax|strict)", RegexOptions.IgnoreCase), cookie);
        });
    }

    /// <summary>The hardening every portal response carries.</summary>
    internal static void AssertHardened(HttpResponseMessage response)
    {
        var where = $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery} ({(int)response.StatusCode})";
        Assert.True(response.Headers.TryGetValues("Content-Security-Policy", out var values), $"{where}: no Content-Security-Policy");
        var directives = Assert.Single(values!)
            .Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(d => d.Split(' ', 2))
            .ToDictionary(d => d[0], d => d.Length > 1 ? d[1] : string.Empty, StringComparer.Ordinal);
        Assert.Equal("'none'", directives["default-src"]);
        Assert.Equal("'none'", directives["frame-ancestors"]);
        Assert.Equal("'self'", directives["form-action"]);
        Assert.Equal("'none'", directives["base-uri"]);
        Assert.False(directives.ContainsKey("script-src"), $"{where}: the portal allows no script");
        Assert.DoesNotContain(directives.Values, v => v.Contains("unsafe-", StringComparison.Ordinal) || v.Contains('*', StringComparison.Ordinal) || v.Contains("http", StringComparison.Ordinal));
        Assert.Equal("nosniff", Assert.Single(response.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(response.Headers.GetValues("Referrer-Policy")));
        Assert.Equal("DENY", Assert.Single(response.Headers.GetValues("X-Frame-Options")));
    }

    private static List<string> SetCookies(HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies) ? cookies.ToList() : [];

    [GeneratedRegex("<code class=\"shared-key\"[^>]*>([a-z2-7 ]+)</code>", RegexOptions.CultureInvariant)]
    private static partial Regex SharedKey();
}
