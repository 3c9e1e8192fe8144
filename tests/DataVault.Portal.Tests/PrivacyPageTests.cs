using System.Net;

namespace DataVault.Portal.Tests;

/// <summary>The privacy notice (<c>/privacy</c>, GDPR Art. 13): open to everyone, naming the configured controller and every purpose.</summary>
public sealed class PrivacyPageTests
{
    private static readonly Dictionary<string, string?> Configured = new()
    {
        ["Controller:Address"] = "Carrer de l'Exemple 1\n08001 Barcelona",
        ["Controller:DpoEmail"] = "dpo@retail.example",
        ["Controller:SupervisoryAuthorityName"] = "Autoritat Catalana de Protecció de Dades",
        ["Controller:SupervisoryAuthorityUrl"] = "https://apdcat.gencat.cat/",
        ["Controller:PrivacyNoticeUrl"] = "https://retail.example/privacy",
        ["Controller:TimeZone"] = "Europe/Madrid",
    };

    [Fact]
    public async Task PrivacyNotice_Anonymous_NamesTheControllerItsDpoTheAuthorityAndEveryPurposeWithItsRecipients()
    {
        await using var app = new DataVaultApplication(settings: Configured);
        await app.RegisterClientAsync("partner-newsletters", purposes: ["partner-sharing"]);
        using var browser = new PortalBrowser(app);

        var (status, html) = await browser.GetAsync("/privacy");
        var page = WebUtility.HtmlDecode(html);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"{TestController.Name} is responsible for the personal data", page, StringComparison.Ordinal);
        Assert.Contains("Carrer de l'Exemple 1", page, StringComparison.Ordinal);
        Assert.Contains("href=\"mailto:dpo@retail.example\"", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://apdcat.gencat.cat/\" rel=\"noopener noreferrer\">Autoritat Catalana de Protecció de Dades</a>", page, StringComparison.Ordinal);
        Assert.Contains("href=\"https://retail.example/privacy\"", page, StringComparison.Ordinal);
        Assert.Contains("time zone Europe/Madrid", page, StringComparison.Ordinal);
        foreach (var title in new[] { "Providing our service", "Marketing emails", "Customer analytics", "Personalised experience", "Invoicing and tax records", "Sharing with selected partners" })
        {
            Assert.Contains(title, page, StringComparison.Ordinal);
        }

        var sharing = page[page.IndexOf("id=\"purpose-partner-sharing\"", StringComparison.Ordinal)..];
        Assert.Contains("Test client partner-newsletters", sharing[..sharing.IndexOf("</section>", StringComparison.Ordinal)], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PrivacyNotice_InCatalan_IsInCatalan_AndLinkedFromEveryPage()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("ca");

        var (_, login) = await browser.GetAsync("/account/login");
        var (status, page) = await browser.GetAsync("/privacy");

        Assert.Contains("<a href=\"/privacy\">Informació sobre privadesa</a>", WebUtility.HtmlDecode(login), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Informació sobre privadesa</h1>", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains("Els teus drets", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
    }
}
