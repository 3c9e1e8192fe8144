using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>"Download my data" (GDPR Art. 15 and 20): a streamed ZIP of the signed-in customer's own data, audited first.</summary>
public sealed class ExportPageTests
{
    private const string Password = "correct horse battery staple";
    private const string Formula = "=HYPERLINK(\"https://evil.example/\",\"x\")";

    private static readonly string[] Files = ["data.json", "fields.csv", "consents.csv", "access-log.csv", "purposes.csv", "recipients.csv", "manifest.json"];

    [Fact]
    public async Task Export_DownloadsZip_WithEveryPart_AndAManifestMatchingEachEntry()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "ana.export@example.com");
        app.Monitor.Remember(Formula);
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { family_name = Formula } })).EnsureSuccessStatusCode();
        await RecordAsync(api, subjectId, "marketing-email", "given");
        await RecordAsync(api, subjectId, "marketing-email", "withdrawn");
        await ReadAsync(api, subjectId, "service-delivery");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        using var response = await browser.SubmitAsync("/my/export", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/zip", response.Content.Headers.ContentType?.MediaType);
        Assert.Matches(@"^datavault-export-\d{4}-\d{2}-\d{2}\.zip$", response.Content.Headers.ContentDisposition!.FileName!.Trim('"'));
        var files = await UnzipAsync(response);
        Assert.Equal(Files, files.Keys);

        var manifest = Wire.Parse<Manifest>(files["manifest.json"]);
        Assert.Equal(1, manifest.FormatVersion);
        Assert.Equal(Files[..^1], manifest.Files.Select(f => f.Name));
        foreach (var file in manifest.Files)
        {
            var bytes = files[file.Name];
            Assert.Equal(bytes.LongLength, file.Length);
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.Sha256);
        }

        var data = Wire.Parse<ExportData>(files["data.json"]);
        Assert.Equal(subjectId, data.SubjectId);
        Assert.Equal(new ExportAuthority(null, null), data.Controller.SupervisoryAuthority);
        Assert.Equal((TestController.Name, TestController.ContactEmail, (string?)null), (data.Controller.Name, data.Controller.ContactEmail, data.Controller.DpoEmail));
        var fields = data.Fields.ToDictionary(f => f.Name);
        Assert.Equal("ana.export@example.com", fields["email"].Value.GetString());
        Assert.Equal(("Email address", "user.contact.email"), (fields["email"].Title, fields["email"].Category));
        Assert.Equal("Ana", fields["given_name"].Value.GetString());
        Assert.Equal(["given", "withdrawn"], data.Consents.Where(c => c.Purpose == "marketing-email").Select(c => c.State));
        Assert.Equal(("api", "en"), (data.Consents[0].Method, data.Consents[0].NoticeLanguage));
        var log = data.AccessLog;
        Assert.Contains(log, e => e is { Action: "subject.read", Who: "Test client crm-eu", Purpose: "service-delivery", Fields.Count: > 0 });
        Assert.Contains(log, e => e is { Action: "subject.export", Who: "You" });
        var purposes = data.Purposes.ToDictionary(p => p.Id);
        Assert.Equal("consent", purposes["marketing-email"].LawfulBasis);
        Assert.Equal("legal-obligation", purposes["legal-obligation-invoicing"].LawfulBasis);
        Assert.Contains("email", purposes["marketing-email"].Fields);
        Assert.Contains(new ExportRecipient("marketing-email", "crm-eu", "Test client crm-eu"), data.Recipients);

        // CSV: RFC 4180, with a value a spreadsheet would run as a formula turned into text.
        var fieldRows = Csv(files["fields.csv"]);
        Assert.Equal(["name", "title", "value", "category", "version", "stored_at"], fieldRows[0]);
        Assert.Equal("'" + Formula, fieldRows.Single(r => r[0] == "family_name")[2]);
        Assert.Equal("ana.export@example.com", fieldRows.Single(r => r[0] == "email")[2]);
        Assert.Equal(3, Csv(files["consents.csv"]).Count);
        Assert.Equal(log.Count + 1, Csv(files["access-log.csv"]).Count);
        Assert.Equal(purposes.Count + 1, Csv(files["purposes.csv"]).Count);
        Assert.Contains(Csv(files["recipients.csv"]), r => r is ["marketing-email", "crm-eu", "Test client crm-eu"]);

        // The export is on record as the subject's own access.
        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=subject.export");
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_AuditTrailUnavailable_Answers503AndSendsNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "locked.export@example.com");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, page) = await browser.GetAsync("/my/export");

        using (var blocker = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            using var refused = await browser.PostAsync("/my/export", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken(page));

            // Only the host's Problem Details for the status: not a byte of the archive.
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Null(refused.Content.Headers.ContentDisposition);
            var body = await refused.Content.ReadAsStringAsync();
            Assert.DoesNotContain(subjectId, body, StringComparison.Ordinal);
            Assert.DoesNotContain("Ana", body, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Export_AnotherSubjectsIdInTheFormOrQuery_IsIgnored()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (first, activation) = await PortalBrowser.InviteAsync(app, api, "first.export@example.com");
        var (other, _) = await PortalBrowser.InviteAsync(app, api);
        app.Monitor.Remember("bea.other@example.com");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{other}", new { fields = new { email = "bea.other@example.com" } })).EnsureSuccessStatusCode();
        await RecordAsync(api, other, "analytics", "given");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, page) = await browser.GetAsync("/my/export");

        using var response = await browser.PostAsync(
            $"/my/export?subjectId={other}&subject={other}",
            new Dictionary<string, string> { ["subjectId"] = other, ["SubjectId"] = other, ["subject"] = other },
            PortalBrowser.AntiforgeryToken(page));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var files = await UnzipAsync(response);
        var text = Encoding.UTF8.GetString(files["data.json"]);
        Assert.Contains(first, text, StringComparison.Ordinal);
        Assert.DoesNotContain(other, text, StringComparison.Ordinal);
        Assert.DoesNotContain("bea.other@example.com", text, StringComparison.Ordinal);
        Assert.Empty(Wire.Parse<ExportData>(files["data.json"]).Consents);
    }

    [Fact]
    public async Task Export_WithoutAntiforgeryToken_IsRefused()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "forged.export@example.com");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        using var response = await browser.PostAsync("/my/export", new Dictionary<string, string>(), antiforgeryToken: null);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task Export_InSpanish_PageAndTitlesAreTranslated_KeysStayEnglish()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "es.export@example.com");
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");
        await browser.ActivateAsync(activation, Password);

        var (status, page) = await browser.GetAsync("/my/export");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Descargar mis datos", page, StringComparison.Ordinal);

        using var response = await browser.PostAsync("/my/export", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken(page));
        var data = Wire.Parse<ExportData>((await UnzipAsync(response))["data.json"]);
        Assert.Equal("es", data.Language);
        Assert.Equal("Nombre", data.Fields.Single(f => f.Name == "given_name").Title);
        Assert.Contains(data.AccessLog, e => e.Who == "Tú");
    }

    [Fact]
    public async Task Export_DataJson_NamesTheConfiguredController_ItsDpoAndTheSupervisoryAuthority()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["Controller:Address"] = "Via dell'Esempio 1\n00100 Roma",
            ["Controller:DpoEmail"] = "dpo@retail.example",
            ["Controller:SupervisoryAuthorityName"] = "Garante per la protezione dei dati personali",
            ["Controller:SupervisoryAuthorityUrl"] = "https://www.garanteprivacy.it/",
            ["Controller:PrivacyNoticeUrl"] = "https://retail.example/privacy",
        });
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "it.export@example.com");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, page) = await browser.GetAsync("/my/export");

        using var response = await browser.PostAsync("/my/export", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken(page));
        var controller = Wire.Parse<ExportData>((await UnzipAsync(response))["data.json"]).Controller;

        Assert.Equal(TestController.Name, controller.Name);
        Assert.Equal(["Via dell'Esempio 1", "00100 Roma"], controller.Address);
        Assert.Equal(TestController.ContactEmail, controller.ContactEmail);
        Assert.Equal("dpo@retail.example", controller.DpoEmail);
        Assert.Equal(new ExportAuthority("Garante per la protezione dei dati personali", "https://www.garanteprivacy.it/"), controller.SupervisoryAuthority);
        Assert.Equal("https://retail.example/privacy", controller.PrivacyNoticeUrl);
    }

    [Fact]
    public async Task ExportPage_InEstonian_IsTranslated()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "et.export@example.com");
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("et");
        await browser.ActivateAsync(activation, Password);

        var (_, page) = await browser.GetAsync("/my/export");

        Assert.Contains("Laadi minu andmed alla", page, StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, byte[]>> UnzipAsync(HttpResponseMessage response)
    {
        using var buffer = new MemoryStream(await response.Content.ReadAsByteArrayAsync());
        using var zip = new ZipArchive(buffer, ZipArchiveMode.Read);
        var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var entry in zip.Entries)
        {
            using var stream = entry.Open();
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            files.Add(entry.FullName, copy.ToArray());
        }

        return files;
    }

    /// <summary>A strict RFC 4180 reader: quoted fields with doubled quotes, CRLF between records.</summary>
    private static List<string[]> Csv(byte[] bytes)
    {
        var text = new StreamReader(new MemoryStream(bytes), Encoding.UTF8, detectEncodingFromByteOrderMarks: true).ReadToEnd();
        var rows = new List<string[]>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add([.. row]);
                row.Clear();
                i++;
            }
            else
            {
                Assert.NotEqual('\n', c);
                cell.Append(c);
            }
        }

        Assert.False(quoted, "An unterminated quoted field.");
        Assert.Empty(row);
        Assert.Equal(0, cell.Length);
        return rows;
    }

    /// <summary><c>manifest.json</c>: each other file of the archive with its length and SHA-256.</summary>
    private sealed record Manifest(int FormatVersion, IReadOnlyList<ManifestFile> Files);

    private sealed record ManifestFile(string Name, long Length, string Sha256);

    /// <summary><c>data.json</c>: everything held on the subject, in the language of the page.</summary>
    private sealed record ExportData(
        string Language,
        string SubjectId,
        ExportController Controller,
        IReadOnlyList<ExportField> Fields,
        IReadOnlyList<ExportConsent> Consents,
        IReadOnlyList<ExportAccess> AccessLog,
        IReadOnlyList<ExportPurpose> Purposes,
        IReadOnlyList<ExportRecipient> Recipients);

    /// <summary>Who is responsible for the data: the configured controller.</summary>
    private sealed record ExportController(string Name, IReadOnlyList<string> Address, string ContactEmail, string? DpoEmail, ExportAuthority SupervisoryAuthority, string? PrivacyNoticeUrl);

    private sealed record ExportAuthority(string? Name, string? Url);

    /// <summary>A field held: its value is a string, or an array of strings for list fields.</summary>
    private sealed record ExportField(string Name, string Title, JsonElement Value, string Category);

    private sealed record ExportConsent(string Purpose, string State, string Method, string NoticeLanguage);

    private sealed record ExportAccess(string Who, string Action, string? Purpose, IReadOnlyList<string> Fields);

    private sealed record ExportPurpose(string Id, string LawfulBasis, IReadOnlyList<string> Fields);

    private sealed record ExportRecipient(string Purpose, string ClientId, string Organisation);
}
