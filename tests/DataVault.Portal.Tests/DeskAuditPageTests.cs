using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>The officer's audit search, CSV export and integrity check.</summary>
public sealed class DeskAuditPageTests
{
    private static readonly Dictionary<string, string?> FrequentCheckpoints = new() { ["Audit:CheckpointEveryEntries"] = "5" };

    [Fact]
    public async Task Search_FiltersBySubjectActionAndOutcome_AndShowsNoValues()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        var (otherId, _) = await PortalBrowser.InviteAsync(app, api);
        app.Monitor.Remember("ana@example.com");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { email = "ana@example.com" } })).EnsureSuccessStatusCode();
        await RecordAsync(api, subjectId, "marketing-email", "given");
        await ReadAsync(api, subjectId, "marketing-email");
        await ReadAsync(api, otherId, "service-delivery");
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (status, page) = await browser.GetAsync($"/desk/audit?subject={subjectId}&action=subject.read&outcome=success");

        Assert.Equal(HttpStatusCode.OK, status);
        var rows = Rows(page);
        Assert.Single(rows);
        Assert.Contains(subjectId, rows[0], StringComparison.Ordinal);
        Assert.Contains("Marketing emails", rows[0], StringComparison.Ordinal);
        Assert.DoesNotContain("ana@example.com", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Ana", page, StringComparison.Ordinal);

        var (_, purposeOnly) = await browser.GetAsync("/desk/audit?purpose=service-delivery&action=subject.read");
        Assert.All(Rows(purposeOnly), row => Assert.Contains(otherId, row, StringComparison.Ordinal));

        // Paging: one entry per page, the next page starts before the last one shown.
        var (_, first) = await browser.GetAsync($"/desk/audit?subject={subjectId}&limit=25");
        Assert.True(Rows(first).Length >= 4);
        var (invalid, bad) = await browser.GetAsync("/desk/audit?from=yesterday&outcome=maybe");
        Assert.Equal(HttpStatusCode.OK, invalid);
        Assert.Contains("id=\"from-error\"", bad, StringComparison.Ordinal);
        Assert.Contains("id=\"outcome-error\"", bad, StringComparison.Ordinal);

        using var auditor = await app.CreateClientAsync("auditor", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await auditor.GetStringAsync("/api/v1/audit?action=audit.search");
        Assert.Contains("\"actorType\":\"officer\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_Pages_FollowTheOlderLink()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        for (var i = 0; i < 30; i++)
        {
            await ReadAsync(api, subjectId, "service-delivery");
        }

        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (_, first) = await browser.GetAsync($"/desk/audit?subject={subjectId}&action=subject.read&limit=25");
        var older = Regex.Match(first, "<a href=\"([^\"]+)\">Older entries</a>");
        Assert.True(older.Success);
        var (_, second) = await browser.GetAsync(WebUtility.HtmlDecode(older.Groups[1].Value));

        Assert.Equal(25, Rows(first).Length);
        Assert.Equal(5, Rows(second).Length);
        Assert.Empty(Sequences(first).Intersect(Sequences(second)));
        Assert.Contains("Newest entries", second, StringComparison.Ordinal);

        // The caption counts the matches shown among all matches, whatever their sequence numbers in the trail.
        Assert.Contains("<caption>Entries 1 to 25 of 30, newest first</caption>", first, StringComparison.Ordinal);
        Assert.Contains("<caption>Entries 26 to 30 of 30, newest first</caption>", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("en", "Data read for a purpose", "Done", "Test client crm-eu")]
    [InlineData("es", "Datos leídos para una finalidad", "Hecho", "Test client crm-eu")]
    [InlineData("ca", "Dades llegides per a una finalitat", "Fet", "Test client crm-eu")]
    [InlineData("it", "Dati letti per una finalità", "Eseguito", "Test client crm-eu")]
    [InlineData("et", "Andmed loetud eesmärgi jaoks", "Tehtud", "Test client crm-eu")]
    public async Task Search_NamesWhoAndSaysWhatInPlainWords_KeepingTheCodesBeside(string language, string action, string outcome, string client)
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        await ReadAsync(api, subjectId, "service-delivery");
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        var officer = await DeskTesting.SignInOfficerAsync(app, browser);

        var (_, page) = await browser.GetAsync($"/desk/audit?subject={subjectId}&action=subject.read");
        var row = WebUtility.HtmlDecode(Assert.Single(Rows(page)));
        Assert.Contains($">{client}</td>", row, StringComparison.Ordinal);
        Assert.Contains($"{action} <code class=\"audit-code\">subject.read</code>", row, StringComparison.Ordinal);
        Assert.Contains($"{outcome} <code class=\"audit-code\">success</code>", row, StringComparison.Ordinal);
        Assert.DoesNotContain(">crm-eu<", row, StringComparison.Ordinal);

        // Every action and outcome the filter offers reads in words, with its code beside it.
        var filters = string.Concat(Regex.Matches(WebUtility.HtmlDecode(page), "<select id=\"(?:action|outcome)\".*?</select>", RegexOptions.Singleline).Select(m => m.Value));
        Assert.Equal(2, Regex.Count(filters, "<select"));
        foreach (Match option in Regex.Matches(filters, "<option value=\"([a-z.-]+)\"[^>]*>([^<]+)</option>"))
        {
            Assert.EndsWith($" ({option.Groups[1].Value})", option.Groups[2].Value, StringComparison.Ordinal);
            Assert.NotEqual(option.Groups[1].Value, option.Groups[2].Value[..^(option.Groups[1].Value.Length + 3)]);
        }

        // Staff are named by their address, and searched by it too.
        var (_, own) = await browser.GetAsync("/desk/audit?actor=officer@example.com&action=audit.search");
        Assert.NotEmpty(Rows(own));
        Assert.All(Rows(own), r => Assert.Contains(">officer@example.com</td>", r, StringComparison.Ordinal));
        Assert.DoesNotContain(officer, string.Concat(Rows(own)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_IsCsvOfTheFilteredEntries()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        await RecordAsync(api, subjectId, "marketing-email", "given", evidence: "said yes, \"loudly\"");
        await ReadAsync(api, subjectId, "marketing-email");
        await ReadAsync(api, subjectId, "service-delivery");
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        var (_, page) = await browser.GetAsync($"/desk/audit?subject={subjectId}&action=subject.read");
        var link = WebUtility.HtmlDecode(Regex.Match(page, "<a href=\"([^\"]+)\" download>").Groups[1].Value);
        Assert.StartsWith("/desk/audit/export?", link, StringComparison.Ordinal);

        using var response = await browser.Http.GetAsync(link);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("audit.csv", response.Content.Headers.ContentDisposition!.FileNameStar ?? response.Content.Headers.ContentDisposition.FileName!.Trim('"'));
        var lines = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Vault.Audit.AuditCsv.Header, lines[0].TrimEnd('\r'));
        Assert.Equal(3, lines.Length);
        Assert.All(lines[1..], line =>
        {
            // Commas inside quoted cells (the released fields, e.g. "email,given_name") do not separate cells.
            var cells = Regex.Split(line.TrimEnd('\r'), ",(?=(?:[^\"]*\"[^\"]*\")*[^\"]*$)");
            Assert.Equal(Vault.Audit.AuditCsv.Header.Split(',').Length, cells.Length);
            Assert.Equal("subject.read", cells[4]);
            Assert.Equal(subjectId, cells[5]);
        });
        Assert.Equal(["service-delivery", "marketing-email"], lines[1..].Select(l => l.Split(',')[6]));

        using var auditor = await app.CreateClientAsync("auditor", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await auditor.GetStringAsync("/api/v1/audit?action=audit.export");
        Assert.Contains("\"actorType\":\"officer\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_IntactTrail_ReportsOk_ThenTheFirstBadSequenceAfterTampering()
    {
        await using var app = new DataVaultApplication(settings: FrequentCheckpoints);
        using var api = await app.CreateClientAsync("crm-eu");
        for (var i = 0; i < 3; i++)
        {
            await PortalBrowser.InviteAsync(app, api);
        }

        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        using (var intact = await browser.SubmitAsync("/desk/audit", new Dictionary<string, string>(), "/desk/audit?handler=Verify"))
        {
            var page = await intact.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, intact.StatusCode);
            Assert.Contains("The audit trail is intact.", page, StringComparison.Ordinal);
            Assert.Contains("Its signature verifies against this vault", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
            Assert.Matches("Last signed checkpoint: sequence \\d+", page);
        }

        using (var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE audit_entries SET purpose_id = 'analytics' WHERE sequence = 4;";
            command.ExecuteNonQuery();
        }

        using var tampered = await browser.SubmitAsync("/desk/audit", new Dictionary<string, string>(), "/desk/audit?handler=Verify");
        var report = await tampered.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, tampered.StatusCode);
        Assert.Contains("The audit trail has been tampered with.", report, StringComparison.Ordinal);
        Assert.Contains("First bad entry: sequence number 4.", report, StringComparison.Ordinal);
        Assert.Contains("The entry was changed after it was written.", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditTrailLocked_SearchExportAndVerify_Answer503()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        var (_, page) = await browser.GetAsync("/desk/audit");
        var token = PortalBrowser.AntiforgeryToken(page);

        using (var blocker = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/desk/audit")).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/desk/audit/export")).Status);
            using var verify = await browser.PostAsync("/desk/audit?handler=Verify", new Dictionary<string, string>(), token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, verify.StatusCode);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/desk/consents")).Status);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await browser.GetAsync("/desk/record")).Status);
        }

        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/desk/audit")).Status);
    }

    [Theory]
    [InlineData("es", "Verificar la integridad")]
    [InlineData("et", "Kontrolli terviklust")]
    public async Task Audit_SpeaksTheBrowsersLanguage(string language, string verify)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (status, html) = await browser.GetAsync("/desk/audit");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(verify, WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    private static string[] Rows(string page)
    {
        var body = Regex.Match(page, "<tbody>(.*?)</tbody>", RegexOptions.Singleline);
        return body.Success ? Regex.Matches(body.Groups[1].Value, "<tr>(.*?)</tr>", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray() : [];
    }

    private static IEnumerable<string> Sequences(string page) =>
        Rows(page).Select(row => Regex.Match(row, "<td data-label=\"No.\" class=\"number\">(\\d+)</td>").Groups[1].Value);
}
