using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>The consent overview counts each customer's current state per purpose and charts the given and withdrawn consents.</summary>
public sealed class DeskConsentsPageTests
{
    [Fact]
    public async Task Overview_CountsMatchTheRecordedConsents_AndTheChartIsWellFormedSvg()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var api = await app.CreateClientAsync("crm-eu");
        var subjects = new List<string>();
        for (var i = 0; i < 6; i++)
        {
            subjects.Add((await PortalBrowser.InviteAsync(app, api)).SubjectId);
        }

        await RecordAsync(api, subjects[0], "marketing-email", "given");
        await RecordAsync(api, subjects[1], "marketing-email", "given");
        time.Advance(TimeSpan.FromSeconds(1));
        await RecordAsync(api, subjects[1], "marketing-email", "withdrawn");
        await RecordAsync(api, subjects[2], "marketing-email", "refused");
        await RecordAsync(api, subjects[3], "marketing-email", "given", expiresAt: time.GetUtcNow().AddMinutes(1));
        await RecordAsync(api, subjects[4], "analytics", "given");
        time.Advance(TimeSpan.FromMinutes(2));
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (status, page) = await browser.GetAsync("/desk/consents?days=7");

        Assert.Equal(HttpStatusCode.OK, status);
        // Given, withdrawn, refused, expired, earlier version, never asked.
        Assert.Equal(["1", "1", "1", "1", "0", "2"], Counts(page, "marketing-email"));
        Assert.Equal(["1", "0", "0", "0", "0", "5"], Counts(page, "analytics"));
        Assert.Contains("6 customers have a record.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"counts-service-delivery\"", page, StringComparison.Ordinal);

        var charts = Regex.Matches(page, "<svg xmlns=.*?</svg>", RegexOptions.Singleline);
        Assert.Equal(4, Regex.Count(page, "<tr id=\"counts-"));
        Assert.Equal(4, charts.Count);
        foreach (Match chart in charts)
        {
            var svg = XElement.Parse(chart.Value);
            Assert.Equal("img", (string?)svg.Attribute("role"));
            XNamespace ns = "http://www.w3.org/2000/svg";
            Assert.NotNull(svg.Element(ns + "title"));
            Assert.NotNull(svg.Element(ns + "desc"));
            var lines = svg.Elements(ns + "polyline").ToList();
            Assert.Equal(["line given", "line withdrawn"], lines.Select(l => (string?)l.Attribute("class")));
            Assert.All(lines, line => Assert.Equal(8, ((string)line.Attribute("points")!).Split(' ').Length));
        }

        // The withdrawal shows in the trend beside the consents given: today one withdrawn for marketing e-mails.
        var figures = Regex.Match(page, "<section class=\"trend-section\" aria-labelledby=\"trend-marketing-email\">.*?</section>", RegexOptions.Singleline).Value;
        var today = Regex.Matches(figures, "<tr>(.*?)</tr>", RegexOptions.Singleline)[^1].Groups[1].Value;
        Assert.Equal(["1", "1"], Regex.Matches(today, "<td class=\"number\" data-label=\"[^\"]+\">(\\d+)</td>").Select(m => m.Groups[1].Value));
        Assert.Contains("Withdrawn: from 0 to 1, highest 1.", figures, StringComparison.Ordinal);

        using var auditor = await app.CreateClientAsync("auditor", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await auditor.GetStringAsync("/api/v1/audit?action=consent.overview");
        Assert.Contains("\"actorType\":\"officer\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Overview_CountsObjectionsThroughGlobalPrivacyControl_AndSaysOneCustomerInTheSingular()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        using (var signal = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{subjectId}/consents"))
        {
            signal.Headers.Add("Sec-GPC", "1");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(signal)).StatusCode);
        }

        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        var page = WebUtility.HtmlDecode((await browser.GetAsync("/desk/consents")).Html);

        Assert.Contains("1 customer has a record.", page, StringComparison.Ordinal);
        Assert.Contains("1 customer objects through Global Privacy Control", page, StringComparison.Ordinal);
        var row = Regex.Match(page, "<tr id=\"counts-partner-sharing\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.EndsWith(">1</td>", row.Trim(), StringComparison.Ordinal);
        Assert.EndsWith(">—</td>", Regex.Match(page, "<tr id=\"counts-marketing-email\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value.Trim(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("es", "Resumen de consentimientos", "Retirados")]
    [InlineData("et", "Nõusolekute ülevaade", "Tagasi võetud")]
    public async Task Overview_SpeaksTheBrowsersLanguage(string language, string heading, string withdrawn)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (status, html) = await browser.GetAsync("/desk/consents");
        var page = WebUtility.HtmlDecode(html);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains(withdrawn, page, StringComparison.Ordinal);
    }

    private static string[] Counts(string page, string purposeId)
    {
        var row = Regex.Match(WebUtility.HtmlDecode(page), $"<tr id=\"counts-{purposeId}\">(.*?)</tr>", RegexOptions.Singleline);
        Assert.True(row.Success, $"No counts for {purposeId}.");
        return Regex.Matches(row.Groups[1].Value, "<td class=\"number\" data-label=\"[^\"]+\">(\\d+|—)</td>").Select(m => m.Groups[1].Value).SkipLast(1).ToArray();
    }
}
