using System.Net;
using System.Text.RegularExpressions;
using DataVault.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>The record of processing activities (GDPR Art. 30) is generated from the controller's settings, the catalogue and the registered clients.</summary>
public sealed class DeskRecordPageTests
{
    [Fact]
    public async Task Record_ListsEveryPurposeWithBasisCategoriesRecipientsAndRetention()
    {
        await using var app = new DataVaultApplication();
        await app.RegisterClientAsync("crm-eu");
        await app.RegisterClientAsync("newsletter-tool", purposes: ["marketing-email"]);
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        var catalogue = app.Services.GetRequiredService<PolicyCatalogue>();

        var (status, html) = await browser.GetAsync("/desk/record");
        var page = WebUtility.HtmlDecode(html);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("@media print", await app.CreateClient().GetStringAsync(PortalExtensions.StylesheetPath), StringComparison.Ordinal);
        foreach (var purpose in catalogue.Purposes.Values)
        {
            var section = Section(page, purpose.Id);
            Assert.Contains(purpose.Text["en"].Title, section, StringComparison.Ordinal);
            Assert.Contains($"(GDPR Art. 6(1)(", section, StringComparison.Ordinal);
            // Categories in words, never the catalogue's codes.
            Assert.DoesNotContain("user.", section, StringComparison.Ordinal);
            Assert.Matches("<dd class=\"categories\">[A-Z][^<]+</dd>", section);

            Assert.Contains("Test client crm-eu", section, StringComparison.Ordinal);
            Assert.Equal(purpose.Id == "marketing-email", section.Contains("Test client newsletter-tool", StringComparison.Ordinal));
            Assert.Contains(purpose.Retention.Years == 1 ? "1 year" : $"{purpose.Retention.Years} years", section, StringComparison.Ordinal);
        }

        Assert.Contains("Contact details", Section(page, "marketing-email"), StringComparison.Ordinal);
        Assert.Contains("Official identification numbers", Section(page, "legal-obligation-invoicing"), StringComparison.Ordinal);
        Assert.Contains("Consent (GDPR Art. 6(1)(a))", Section(page, "marketing-email"), StringComparison.Ordinal);
        Assert.Contains("Performance of a contract (GDPR Art. 6(1)(b))", Section(page, "service-delivery"), StringComparison.Ordinal);

        // It names the recipients, so viewing it is on record as the officer's.
        using var auditor = await app.CreateClientAsync("auditor", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await auditor.GetStringAsync("/api/v1/audit?action=record.read");
        Assert.Contains("\"actorType\":\"officer\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_ShowsTheControllerItsPartners_AndEachTransferWithItsSafeguard_AndAVersionThatFollowsChanges()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["Controller:Address"] = "Carrer de l'Exemple 1\n08001 Barcelona",
            ["Controller:DpoEmail"] = "dpo@retail.example",
            ["Controller:JointControllers:0:Name"] = "Example Loyalty Club S.L.",
            ["Controller:JointControllers:0:Contact"] = "club@loyalty.example",
            ["Controller:Representative:Name"] = "EU Rep Services GmbH",
            ["Controller:Representative:Contact"] = "rep@eurep.example",
        });
        await app.RegisterClientAsync("crm-eu", purposes: ["service-delivery"]);
        await app.RegisterClientAsync("us-mailer", purposes: ["marketing-email"]);
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var before = WebUtility.HtmlDecode((await browser.GetAsync("/desk/record")).Html);
        Assert.Contains("We, Example Retail Test S.L., keep this record", before, StringComparison.Ordinal);
        Assert.Contains("dpo@retail.example", before, StringComparison.Ordinal);
        Assert.Contains("08001 Barcelona", before, StringComparison.Ordinal);
        Assert.Contains("Example Loyalty Club S.L.: club@loyalty.example", before, StringComparison.Ordinal);
        Assert.Contains("EU Rep Services GmbH: rep@eurep.example", before, StringComparison.Ordinal);
        Assert.Contains("we record no transfer to a third country", before, StringComparison.Ordinal);
        Assert.Contains("Category not recorded yet", before, StringComparison.Ordinal);
        var firstVersion = Version(before);

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<Vault.Clients.ClientService>();
            Assert.Equal(Vault.Subjects.VaultOutcome.Ok, (await clients.UpdateRecipientAsync("us-mailer", new("processor", "US", "SCC 2021/914"), CancellationToken.None)).Outcome);
            Assert.Equal(Vault.Subjects.VaultOutcome.Ok, (await clients.UpdateRecipientAsync("crm-eu", new("own-system"), CancellationToken.None)).Outcome);
        }

        var after = WebUtility.HtmlDecode((await browser.GetAsync("/desk/record")).Html);
        Assert.Contains("Test client us-mailer receives data in United States (US); the transfer rests on: SCC 2021/914.", after, StringComparison.Ordinal);
        Assert.Contains("United States (US), under SCC 2021/914 — Test client us-mailer", Section(after, "marketing-email"), StringComparison.Ordinal);
        Assert.Contains("Processors acting on our behalf (GDPR Art. 28)", Section(after, "marketing-email"), StringComparison.Ordinal);
        Assert.Contains("Our own systems", Section(after, "service-delivery"), StringComparison.Ordinal);
        Assert.DoesNotContain("Category not recorded yet", after, StringComparison.Ordinal);
        Assert.NotEqual(firstVersion, Version(after));

        // The country in the reader's language.
        using var spanish = new PortalBrowser(app);
        spanish.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        await DeskTesting.SignInOfficerAsync(app, spanish, "oficial@example.com");
        Assert.Contains("Estados Unidos (US)", WebUtility.HtmlDecode((await spanish.GetAsync("/desk/record")).Html), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Registro de actividades de tratamiento", "Base jurídica")]
    [InlineData("et", "Isikuandmete töötlemise toimingute register", "Õiguslik alus")]
    public async Task Record_SpeaksTheBrowsersLanguage(string language, string heading, string basis)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        await DeskTesting.SignInOfficerAsync(app, browser);
        var catalogue = app.Services.GetRequiredService<PolicyCatalogue>();

        var (status, html) = await browser.GetAsync("/desk/record");
        var page = WebUtility.HtmlDecode(html);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains(basis, page, StringComparison.Ordinal);
        Assert.Contains(catalogue.Purposes["analytics"].Text[language].Title, page, StringComparison.Ordinal);
    }

    private static string Version(string page)
    {
        var match = Regex.Match(page, "<dt>Version of this record</dt>\\s*<dd><code>([0-9a-f]{12})</code>");
        Assert.True(match.Success, "The record shows no version.");
        return match.Groups[1].Value;
    }

    /// <summary>The section of the page about one purpose.</summary>
    private static string Section(string page, string purposeId)
    {
        var match = Regex.Match(page, $"<section class=\"activity\" aria-labelledby=\"purpose-{purposeId}\">.*?</section>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No section for {purposeId}.");
        return match.Value;
    }
}
