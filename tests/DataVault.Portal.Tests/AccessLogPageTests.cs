using System.Net;
using System.Net.Http.Json;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>"Who used my data": a customer sees the audit entries about their own subject, and only those.</summary>
public sealed class AccessLogPageTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task AccessLog_ShowsWhoReadWhichFieldsForWhichPurpose_AndFilters()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "ana@example.com");
        await RecordAsync(api, subjectId, "marketing-email", "given");
        await ReadAsync(api, subjectId, "marketing-email");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        var (status, page) = await browser.GetAsync("/my/access-log");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Test client crm-eu", page, StringComparison.Ordinal);
        Assert.Contains("Read your data", page, StringComparison.Ordinal);
        Assert.Contains("Marketing emails", page, StringComparison.Ordinal);
        Assert.Contains("Recorded a consent decision", page, StringComparison.Ordinal);
        Assert.Contains("Activated your portal account", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ana@example.com", page, StringComparison.Ordinal);

        var (_, filtered) = await browser.GetAsync("/my/access-log?purpose=service-delivery");
        Assert.DoesNotContain("Read your data", filtered, StringComparison.Ordinal);

        // Viewing the log is itself on record, as an access by the subject.
        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=subject.access-log");
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PortalSignIns_SucceededAndFailed_AreAudited()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "signer@example.com");
        using (var setup = new PortalBrowser(app))
        {
            await setup.ActivateAsync(activation, Password);
        }

        using var browser = new PortalBrowser(app);
        using (await browser.SignInAsync("signer@example.com", "a wrong password entirely"))
        using (await browser.SignInAsync("signer@example.com", Password))
        {
        }

        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=account.sign-in");
        Assert.Contains("\"outcome\":\"denied\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_ShowsOnlyTheSignedInCustomersOwnSubject()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, first) = await PortalBrowser.InviteAsync(app, api, "first@example.com");
        var (other, _) = await PortalBrowser.InviteAsync(app, api);
        await RecordAsync(api, other, "analytics", "given");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(first, Password);

        var (_, page) = await browser.GetAsync("/my/access-log");

        Assert.DoesNotContain("Recorded a consent decision", page, StringComparison.Ordinal);
        Assert.Contains("Created your record", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Quién ha usado sus datos", "Leyó sus datos", "Correos electrónicos de marketing")]
    [InlineData("et", "Kes teie andmeid kasutas", "Luges teie andmeid", "Turunduslikud e-kirjad")]
    public async Task AccessLog_InTheCustomersLanguage_TranslatesActionsAndCatalogueTexts(string language, string heading, string read, string purpose)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" }, language);
        await RecordAsync(customer.Api, customer.SubjectId, "marketing-email", "given");
        await ReadAsync(customer.Api, customer.SubjectId, "marketing-email");

        var (_, page) = await customer.GetAsync("/my/access-log");

        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains(read, page, StringComparison.Ordinal);
        Assert.Contains(purpose, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Read your data", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_AuditTrailUnavailable_Answers503WithRetryAfter()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" });

        using (SignedInCustomer.LockAuditTrail(app))
        {
            using var response = await customer.Browser.Http.GetAsync("/my/access-log");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.RetryAfter?.Delta);
        }
    }

    [Fact]
    public async Task Home_ForACustomer_LinksEveryCustomerPage_InTheirLanguage()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" }, "ca");

        var (_, page) = await customer.GetAsync("/");

        Assert.Contains("Les vostres dades i les vostres decisions", page, StringComparison.Ordinal);
        foreach (var path in new[] { "/my/data", "/my/consents", "/my/access-log", "/my/choices", "/my/export", "/my/erase" })
        {
            Assert.Contains($"<h3><a href=\"{path}\">", page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AccessLog_NotSignedIn_RedirectsToSignIn()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync("/my/access-log");

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
    }
}
