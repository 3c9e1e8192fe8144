using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using DataVault.Vault.Audit;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Contains("Reading your data", page, StringComparison.Ordinal);
        Assert.Contains("Marketing emails", page, StringComparison.Ordinal);
        Assert.Contains("Consent decision", page, StringComparison.Ordinal);
        Assert.DoesNotContain("ana@example.com", page, StringComparison.Ordinal);

        var (_, filtered) = await browser.GetAsync("/my/access-log?purpose=service-delivery");
        Assert.DoesNotContain("Reading your data", filtered, StringComparison.Ordinal);

        // Viewing the log is itself on record, as an access by the subject.
        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=subject.access-log");
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_ByDefault_ShowsNoOwnActivity_AndMyOwnActivityWhenAskedFor()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" });
        await customer.GetAsync("/my/data");

        var (_, others) = await customer.GetAsync("/my/access-log");
        var (_, mine) = await customer.GetAsync("/my/access-log?mine=true");

        Assert.Equal(0, Rows(others, "You"));
        Assert.DoesNotContain("Activation of your portal account", others, StringComparison.Ordinal);
        Assert.Contains("Creation of your record", others, StringComparison.Ordinal);
        Assert.Contains("Test client crm-eu", others, StringComparison.Ordinal);
        Assert.Contains("Activation of your portal account", mine, StringComparison.Ordinal);
        Assert.Contains("Viewing this access log", mine, StringComparison.Ordinal);
        Assert.True(Rows(mine, "You") >= 3, "The customer's activation, reading of My data and viewing of the log are listed on request.");
        Assert.Contains("<input type=\"checkbox\" id=\"mine\" name=\"mine\" value=\"true\" checked=\"checked\">", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_RefusedCorrection_IsOneLineThatSaysRefused_NotCorrected()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" });
        using var refused = await customer.Api.PatchAsJsonAsync($"/api/v1/subjects/{customer.SubjectId}", new { fields = new { email = "not an address" } });
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);

        var (_, page) = await customer.GetAsync("/my/access-log");

        // The fixture's own correction (PATCH given_name) succeeded; the bad one was refused. Each is one line.
        var corrections = Lines(page).Where(line => line.Contains("Correction of your data", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, corrections.Count);
        Assert.Contains("Refused: not valid", corrections[0], StringComparison.Ordinal);
        Assert.Contains("Done", corrections[1], StringComparison.Ordinal);
        Assert.DoesNotContain("Begun; no outcome recorded", page, StringComparison.Ordinal);

        // The customer's own refused correction in the portal, among their own activity: one line too.
        using (await customer.Browser.SubmitAsync(
            "/my/data?edit=email", SignedInCustomer.Form(("Input.Field", "email"), ("Input.Value", "still not an address")), "/my/data?handler=Correct"))
        {
        }

        var (_, mine) = await customer.GetAsync("/my/access-log?mine=true");
        var own = Lines(mine).Where(line => line.Contains("Correction of your data", StringComparison.Ordinal) && line.Contains(">You<", StringComparison.Ordinal)).ToList();
        Assert.Contains("Refused: not valid", Assert.Single(own), StringComparison.Ordinal);
        Assert.DoesNotContain("Begun; no outcome recorded", mine, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_AttemptWithoutOutcome_IsShownAsBegun_AnAttemptWithItsOutcomeOnlyAsTheOutcome()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" });
        var trail = app.Services.GetRequiredService<IAuditTrail>();
        async Task WriteAsync(string outcome, string trace) => await trail.WriteAsync(
            new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.RestrictionRecord, outcome, customer.SubjectId, TraceId: trace), CancellationToken.None);
        await WriteAsync(AuditOutcomes.Attempted, "trace-completed");
        await WriteAsync(AuditOutcomes.Success, "trace-completed");
        await WriteAsync(AuditOutcomes.Attempted, "trace-interrupted");

        var (_, page) = await customer.GetAsync("/my/access-log");

        var restrictions = Lines(page).Where(line => line.Contains("Restriction of processing", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, restrictions.Count);
        Assert.Contains("Begun; no outcome recorded", restrictions[0], StringComparison.Ordinal);
        Assert.Contains("Done", restrictions[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AccessLog_FilterOlderThanManyOtherEntries_StillFindsIt_AndPagesThroughEveryMatch()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, new { email = "ana@example.com" });
        await ReadAsync(customer.Api, customer.SubjectId, "analytics");

        // More newer entries than the page ever read before filtering (it cut at 500), then 45 of one purpose.
        var trail = app.Services.GetRequiredService<IAuditTrail>();
        await Task.WhenAll(Enumerable.Range(0, 520).Select(_ => trail.WriteAsync(
            new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, customer.SubjectId, "service-delivery", "email"), CancellationToken.None)));
        await Task.WhenAll(Enumerable.Range(0, 45).Select(_ => trail.WriteAsync(
            new AuditRecord(AuditActors.Client, "crm-eu", AuditActions.SubjectRead, AuditOutcomes.Success, customer.SubjectId, "personalisation", "given_name"), CancellationToken.None)));

        var (_, analytics) = await customer.GetAsync("/my/access-log?purpose=analytics");
        Assert.Contains("Entries 1 to 1 of 1,", analytics, StringComparison.Ordinal);
        Assert.Contains("Customer analytics", analytics, StringComparison.Ordinal);

        var seen = 0;
        for (var number = 1; number <= 3; number++)
        {
            var (_, page) = await customer.GetAsync($"/my/access-log?purpose=personalisation&p={number}");
            var lines = Lines(page);
            Assert.All(lines, line => Assert.Contains("Personalised experience", line, StringComparison.Ordinal));
            Assert.Contains($"Page {number} of 3", page, StringComparison.Ordinal);
            Assert.Equal(number < 3, page.Contains("Older entries", StringComparison.Ordinal));
            Assert.Equal(number > 1, page.Contains("Newer entries", StringComparison.Ordinal));
            Assert.Contains("href=\"/my/access-log?purpose=personalisation&p=", page, StringComparison.Ordinal);
            seen += lines.Count;
        }

        Assert.Equal(45, seen);
        var (_, beyond) = await customer.GetAsync("/my/access-log?purpose=personalisation&p=99");
        Assert.Contains("Entries 41 to 45 of 45,", beyond, StringComparison.Ordinal);
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

        Assert.DoesNotContain("Consent decision", page, StringComparison.Ordinal);
        Assert.Contains("Creation of your record", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Quién ha usado tus datos", "Lectura de tus datos", "Correos electrónicos de marketing")]
    [InlineData("et", "Kes sinu andmeid kasutas", "Sinu andmete lugemine", "Turunduslikud e-kirjad")]
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
        Assert.DoesNotContain("Reading your data", page, StringComparison.Ordinal);
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

        Assert.Contains("Les teves dades i les teves decisions", page, StringComparison.Ordinal);
        foreach (var path in new[] { "/my/data", "/my/consents", "/my/access-log", "/my/choices", "/my/export", "/my/erase" })
        {
            Assert.Contains($"<h3><a href=\"{path}\">", page, StringComparison.Ordinal);
        }
    }

    /// <summary>The rows of the access log's table, newest first, as text.</summary>
    private static List<string> Lines(string page) =>
        [.. Regex.Matches(page, "<tr>(.*?)</tr>", RegexOptions.Singleline).Skip(1).Select(m => m.Groups[1].Value)];

    /// <summary>How many lines name <paramref name="who"/> as the one who acted.</summary>
    private static int Rows(string page, string who) =>
        Lines(page).Count(line => line.Contains($"data-label=\"Who\">{who}</td>", StringComparison.Ordinal));

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
