using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;

namespace DataVault.Portal.Tests;

/// <summary>"Erase my data" (GDPR Art. 17): a plain statement of what goes and what is held, an explicit confirmation, then the vault's own erasure and a one-time receipt.</summary>
public sealed class ErasePageTests
{
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task ErasePage_SaysWhatGoesNow_AndWhatIsHeldUntilWhen()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        var (status, page) = await browser.GetAsync("/my/erase");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<li>Email address</li>", page, StringComparison.Ordinal);
        Assert.Contains(">Tax identification number</td>", page, StringComparison.Ordinal);
        Assert.Contains((DateTime.UtcNow.Year + 10).ToString(System.Globalization.CultureInfo.InvariantCulture), page, StringComparison.Ordinal);
        Assert.DoesNotContain("ESX1234567Z", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task ErasePage_OffersTheDataFirst_AndSaysWhatHappensToTheAccountAndAnyContract()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        var (_, html) = await browser.GetAsync("/my/erase");
        var page = WebUtility.HtmlDecode(html);
        using var copy = await browser.PostAsync("/my/export", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken(html));

        Assert.Contains("Download your data first", page, StringComparison.Ordinal);
        Assert.Matches("<form method=\"post\" action=\"/my/export\">\\s*<button type=\"submit\" class=\"secondary\">Download my data \\(ZIP\\)</button>", page);
        Assert.True(page.IndexOf("Download your data first", StringComparison.Ordinal) < page.IndexOf("Erase my data now", StringComparison.Ordinal));
        Assert.Contains("your portal account is deleted: you cannot sign in again", page, StringComparison.Ordinal);
        Assert.Contains($"Erasing your data does not end a contract you have with us", page, StringComparison.Ordinal);
        Assert.Contains($"write to us at {TestController.ContactEmail}.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, copy.StatusCode);
        Assert.Equal("application/zip", copy.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Erase_Confirmed_OffersTheReceiptAsAFile_AndEmailsItToTheAddressThatWasOnRecord()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, form) = await browser.GetAsync("/my/erase");

        using var response = await browser.PostAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }, PortalBrowser.AntiforgeryToken(form));
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        var reference = Regex.Match(page, "<code>([^<]+)</code>").Groups[1].Value;
        var link = Regex.Match(page, "<a class=\"button\" href=\"data:text/html;charset=utf-8;base64,([A-Za-z0-9+/=]+)\" download=\"erasure-receipt-([^\"]+)\\.html\">Download the receipt \\(HTML\\)</a>");
        Assert.True(link.Success, "The receipt offers no download.");
        Assert.Equal(reference, link.Groups[2].Value);
        var file = Encoding.UTF8.GetString(Convert.FromBase64String(link.Groups[1].Value));
        foreach (var text in new[] { "Receipt of the erasure of your data", reference, "Email address", "Tax identification number: kept until", TestController.Name })
        {
            Assert.Contains(text, WebUtility.HtmlDecode(file), StringComparison.Ordinal);
        }

        Assert.Contains("We have also e-mailed it to e***@example.com.", page, StringComparison.Ordinal);
        var mail = await DeliveredMail.WaitForEmlToAsync(app, "erase.me@example.com", "Receipt of the erasure");
        Assert.Equal($"Receipt of the erasure of your data · {TestController.Name}", mail.Subject);
        Assert.Contains(reference, mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Tax identification number: kept until", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains(reference, mail.HtmlBody, StringComparison.Ordinal);
        Assert.DoesNotContain("ESX1234567Z", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_WithoutTheConfirmationBox_ChangesNothing_AndShowsTheErrorNextToIt()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);

        using var response = await browser.SubmitAsync("/my/erase", new Dictionary<string, string>());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("<p id=\"understood-error\" class=\"field-error\">Tick the box to confirm that you understand what erasure means.</p>", page, StringComparison.Ordinal);
        Assert.Contains("aria-describedby=\"understood-error\" aria-invalid=\"true\"", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my/erase")).Status);
        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        Assert.DoesNotContain("subject.erase", await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=subject.erase"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_Confirmed_ErasesThroughTheVault_EndsTheSession_AndShowsTheReceiptOnce()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, form) = await browser.GetAsync("/my/erase");
        var token = PortalBrowser.AntiforgeryToken(form);

        using var response = await browser.PostAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }, token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        var receipt = await response.Content.ReadAsStringAsync();
        Assert.Contains("Your data has been erased", receipt, StringComparison.Ordinal);
        Assert.Contains("<li>Email address</li>", receipt, StringComparison.Ordinal);
        Assert.Contains(">Tax identification number</td>", receipt, StringComparison.Ordinal);
        Assert.Contains((DateTime.UtcNow.Year + 10).ToString(System.Globalization.CultureInfo.InvariantCulture), receipt, StringComparison.Ordinal);
        Assert.DoesNotContain("/my/access-log", receipt, StringComparison.Ordinal);
        using (var db = app.OpenDatabase())
        {
            using var command = db.CreateCommand();
            command.CommandText = "SELECT id FROM erasure_receipts WHERE subject_id = $s;";
            command.Parameters.AddWithValue("$s", subjectId);
            Assert.Contains($"<code>{command.ExecuteScalar()}</code>", receipt, StringComparison.Ordinal);
        }

        // The same erasure as the API's: the subject is gone for every client.
        Assert.Equal(HttpStatusCode.Gone, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);

        // The session is over, the receipt cannot be fetched again, and the account cannot sign in.
        using (var next = await browser.Http.GetAsync("/my/export"))
        {
            Assert.Equal(HttpStatusCode.Redirect, next.StatusCode);
            Assert.StartsWith("/account/login", next.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        using (var again = await browser.PostAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }, token))
        {
            Assert.NotEqual(HttpStatusCode.OK, again.StatusCode);
            Assert.DoesNotContain("Tax identification number", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var signIn = await browser.SignInAsync("leaving@example.com", Password))
        {
            Assert.NotEqual(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        var audit = await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action=subject.erase");
        Assert.Contains("\"outcome\":\"attempted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"outcome\":\"success\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Erase_AnotherSubjectsIdInTheFormOrQuery_IsIgnored_TheOtherIsUntouched()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (first, activation) = await PortalBrowser.InviteAsync(app, api, "first.erase@example.com");
        var (other, _) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, form) = await browser.GetAsync($"/my/erase?subjectId={other}");
        Assert.DoesNotContain("Tax identification number", form, StringComparison.Ordinal);

        using var response = await browser.PostAsync(
            $"/my/erase?subjectId={other}",
            new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password, ["subjectId"] = other, ["Input.SubjectId"] = other },
            PortalBrowser.AntiforgeryToken(form));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Gone, (await api.GetAsync($"/api/v1/subjects/{first}?purpose=service-delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{other}?purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task Erase_AuditTrailUnavailable_Answers503_AndErasesNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        var (_, form) = await browser.GetAsync("/my/erase");

        using (var blocker = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False"))
        {
            blocker.Open();
            using var begin = blocker.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();

            using var refused = await browser.PostAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }, PortalBrowser.AntiforgeryToken(form));

            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await api.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/my/erase")).Status);
    }

    [Theory]
    [InlineData("es", "Suprimir mis datos", "Marca la casilla para confirmar que entiendes lo que supone la supresión.", "Número de identificación fiscal (NIF)")]
    [InlineData("et", "Kustuta minu andmed", "Märgi ruut, et kinnitada, et saad aru, mida kustutamine tähendab.", "Säilitatakse kuni")]
    public async Task ErasePage_IsTranslated_ErrorIncluded(string language, string heading, string error, string heldText)
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await WithBillingDataAsync(app, api);
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        await browser.ActivateAsync(activation, Password);

        var (_, page) = await browser.GetAsync("/my/erase");
        Assert.Contains($"<h1>{heading}</h1>", WebUtility.HtmlDecode(page), StringComparison.Ordinal);
        Assert.Contains(heldText, WebUtility.HtmlDecode(page), StringComparison.Ordinal);

        using var refused = await browser.PostAsync("/my/erase", new Dictionary<string, string>(), PortalBrowser.AntiforgeryToken(page));
        Assert.Contains(error, WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }

    /// <summary>A subject with everyday data and invoicing data (held under the legal hold on erasure), invited to the portal.</summary>
    private static async Task<(string SubjectId, string ActivationPath)> WithBillingDataAsync(DataVaultApplication app, HttpClient api)
    {
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "erase.me@example.com");
        app.Monitor.Remember("ESX1234567Z");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { tax_id = "ESX1234567Z" } })).EnsureSuccessStatusCode();
        return (subjectId, activation);
    }
}
