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

        using var manifest = JsonDocument.Parse(files["manifest.json"]);
        Assert.Equal(1, manifest.RootElement.GetProperty("formatVersion").GetInt32());
        var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(Files[..^1], listed.Select(f => f.GetProperty("name").GetString()));
        foreach (var file in listed)
        {
            var bytes = files[file.GetProperty("name").GetString()!];
            Assert.Equal(bytes.LongLength, file.GetProperty("length").GetInt64());
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
        }

        using var data = JsonDocument.Parse(files["data.json"]);
        var root = data.RootElement;
        Assert.Equal(subjectId, root.GetProperty("subjectId").GetString());
        var fields = root.GetProperty("fields").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!);
        Assert.Equal("ana.export@example.com", fields["email"].GetProperty("value").GetString());
        Assert.Equal("Email address", fields["email"].GetProperty("title").GetString());
        Assert.Equal("user.contact.email", fields["email"].GetProperty("category").GetString());
        Assert.Equal("Ana", fields["given_name"].GetProperty("value").GetString());
        Assert.Equal(
            ["given", "withdrawn"],
            root.GetProperty("consents").EnumerateArray().Where(c => c.GetProperty("purpose").GetString() == "marketing-email").Select(c => c.GetProperty("state").GetString()));
        var consent = root.GetProperty("consents")[0];
        Assert.Equal("api", consent.GetProperty("method").GetString());
        Assert.Equal("en", consent.GetProperty("noticeLanguage").GetString());
        var log = root.GetProperty("accessLog").EnumerateArray().ToList();
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "subject.read"
            && e.GetProperty("who").GetString() == "Test client crm-eu"
            && e.GetProperty("purpose").GetString() == "service-delivery"
            && e.GetProperty("fields").GetArrayLength() > 0);
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "subject.export" && e.GetProperty("who").GetString() == "You");
        var purposes = root.GetProperty("purposes").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.Equal("consent", purposes["marketing-email"].GetProperty("lawfulBasis").GetString());
        Assert.Equal("legal-obligation", purposes["legal-obligation-invoicing"].GetProperty("lawfulBasis").GetString());
        Assert.Contains("email", purposes["marketing-email"].GetProperty("fields").EnumerateArray().Select(f => f.GetString()));
        Assert.Contains(root.GetProperty("recipients").EnumerateArray(), r => r.GetProperty("purpose").GetString() == "marketing-email"
            && r.GetProperty("clientId").GetString() == "crm-eu" && r.GetProperty("organisation").GetString() == "Test client crm-eu");

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
        using var data = JsonDocument.Parse(files["data.json"]);
        Assert.Empty(data.RootElement.GetProperty("consents").EnumerateArray());
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
        using var data = JsonDocument.Parse((await UnzipAsync(response))["data.json"]);
        Assert.Equal("es", data.RootElement.GetProperty("language").GetString());
        var givenName = data.RootElement.GetProperty("fields").EnumerateArray().Single(f => f.GetProperty("name").GetString() == "given_name");
        Assert.Equal("Nombre", givenName.GetProperty("title").GetString());
        Assert.Contains(data.RootElement.GetProperty("accessLog").EnumerateArray(), e => e.GetProperty("who").GetString() == "Usted");
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
}
