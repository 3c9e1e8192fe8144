using System.Net;
using System.Text.RegularExpressions;
using DataVault.Policies;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>The record of processing activities (GDPR Art. 30) is generated from the catalogue and the registered clients.</summary>
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
            foreach (var field in purpose.Fields)
            {
                Assert.Contains(catalogue.Fields[field].DataCategory, section, StringComparison.Ordinal);
            }

            Assert.Contains("Test client crm-eu", section, StringComparison.Ordinal);
            Assert.Equal(purpose.Id == "marketing-email", section.Contains("Test client newsletter-tool", StringComparison.Ordinal));
            Assert.Contains(purpose.Retention.Years == 1 ? "1 year" : $"{purpose.Retention.Years} years", section, StringComparison.Ordinal);
        }

        Assert.Contains("Consent (GDPR Art. 6(1)(a))", Section(page, "marketing-email"), StringComparison.Ordinal);
        Assert.Contains("Performance of a contract (GDPR Art. 6(1)(b))", Section(page, "service-delivery"), StringComparison.Ordinal);

        // It names the recipients, so viewing it is on record as the officer's.
        using var auditor = await app.CreateClientAsync("auditor", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await auditor.GetStringAsync("/api/v1/audit?action=record.read");
        Assert.Contains("\"actorType\":\"officer\"", audit, StringComparison.Ordinal);
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

    /// <summary>The section of the page about one purpose.</summary>
    private static string Section(string page, string purposeId)
    {
        var match = Regex.Match(page, $"<section class=\"activity\" aria-labelledby=\"purpose-{purposeId}\">.*?</section>", RegexOptions.Singleline);
        Assert.True(match.Success, $"No section for {purposeId}.");
        return match.Value;
    }
}
