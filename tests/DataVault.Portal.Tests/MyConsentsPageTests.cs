using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests;

/// <summary>"My consents": one click to give, one to withdraw, effective for the very next API read; the history and its signed receipts.</summary>
public sealed partial class MyConsentsPageTests
{
    private static readonly object Profile = new { email = "ana.consents@example.com", interests = new[] { "books" } };

    [Fact]
    public async Task GiveInThePortal_ReleasesTheFields_AndWithdrawWithholdsThemOnTheVeryNextRead()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        Assert.DoesNotContain("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email")));

        using var given = await customer.Browser.SubmitAsync("/my/consents", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/consents?handler=Give");
        Assert.Equal(HttpStatusCode.Redirect, given.StatusCode);
        Assert.Contains("email", Released(await ReadAsync(customer.Api, customer.SubjectId, "marketing-email")));

        var (_, page) = await customer.GetAsync("/my/consents");
        Assert.Contains("Withdraw consent", page, StringComparison.Ordinal);
        using var withdrawn = await customer.Browser.SubmitAsync("/my/consents", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/consents?handler=Withdraw");
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        var read = await ReadAsync(customer.Api, customer.SubjectId, "marketing-email");
        Assert.DoesNotContain("email", Released(read));

        var history = await customer.Api.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{customer.SubjectId}/consents/history");
        var events = history.GetProperty("events").EnumerateArray().ToList();
        Assert.Equal(["given", "withdrawn"], events.Select(e => e.GetProperty("state").GetString()));
        Assert.All(events, e => Assert.Equal("portal", e.GetProperty("collectionMethod").GetString()));
        var audit = await SignedInCustomer.AuditAsync(app, customer.SubjectId, "consent.record");
        Assert.Contains("\"outcome\":\"attempted\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"purposeId\":\"marketing-email\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actorType\":\"subject\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ListsTheEvents_AndEachReceiptDownloadsAsAJwsSignedWithAPublishedKey()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, "it");
        using (await customer.Browser.SubmitAsync("/my/consents", SignedInCustomer.Form(("purpose", "analytics")), "/my/consents?handler=Give"))
        {
        }

        var (_, page) = await customer.GetAsync("/my/consents");
        Assert.Contains("Nel portale privacy", page.Replace("In questo portale privacy", "Nel portale privacy", StringComparison.Ordinal), StringComparison.Ordinal);
        var link = ReceiptLink().Match(page);
        Assert.True(link.Success, "The history has no receipt link.");
        using var response = await customer.Browser.Http.GetAsync(link.Groups[1].Value + "?format=jws");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jose", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"consent-receipt-{link.Groups[2].Value}.jws", response.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        var receipt = await response.Content.ReadAsStringAsync();
        var jwks = new JsonWebKeySet(await customer.Api.GetStringAsync("/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(receipt, new TokenValidationParameters
        {
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidIssuer = "http://localhost",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["consent-receipt+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        var token = (JsonWebToken)validation.SecurityToken;
        Assert.Equal(customer.SubjectId, token.GetClaim("piiPrincipalId").Value);
        Assert.Equal("portal", token.GetClaim("collectionMethod").Value);
        Assert.Equal("it", token.GetClaim("language").Value);
        Assert.Contains("\"outcome\":\"success\"", await SignedInCustomer.AuditAsync(app, customer.SubjectId, "consent.receipt"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GiveAndWithdraw_AreConfirmedOnThePurposesCard_WithALinkToTheReceipt()
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        using var given = await customer.Browser.SubmitAsync("/my/consents", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/consents?handler=Give");
        var location = given.Headers.Location!.OriginalString;
        var (_, afterGiving) = await customer.GetAsync(location);
        using var withdrawn = await customer.Browser.SubmitAsync("/my/consents", SignedInCustomer.Form(("purpose", "marketing-email")), "/my/consents?handler=Withdraw");
        var (_, afterWithdrawing) = await customer.GetAsync(withdrawn.Headers.Location!.OriginalString);
        var (_, stale) = await customer.GetAsync(location);

        Assert.Matches("^/my/consents\\?decision=given&purpose=marketing-email&event=[^&#]+#purpose-marketing-email$", location);
        var card = Card(afterGiving, "marketing-email");
        Assert.Contains("<p class=\"status\" role=\"status\">", card, StringComparison.Ordinal);
        Assert.Contains("You have given your consent to “Marketing emails”. It counts from now until you withdraw it.", card, StringComparison.Ordinal);
        Assert.Matches("href=\"/my/consents/receipt/[^\"]+\">See the receipt</a>", card);
        Assert.Contains("You have withdrawn your consent to “Marketing emails”. From now on, none of our systems receives your data for it.", Card(afterWithdrawing, "marketing-email"), StringComparison.Ordinal);
        Assert.DoesNotContain("role=\"status\"", Card(stale, "marketing-email"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Receipt_IsAReadablePage_InTheControllersTimeZone_WithTheSignedJwsBeside_AndAnHtmlDownload()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Controller:TimeZone"] = "Europe/Madrid" });
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        var consent = (await RecordAsync(customer.Api, customer.SubjectId, "analytics", "given")).GetProperty("event");
        var id = consent.GetProperty("id").GetString()!;
        var occurredAt = consent.GetProperty("occurredAt").GetDateTimeOffset();
        var madrid = TimeZoneInfo.ConvertTime(occurredAt, TimeZoneInfo.FindSystemTimeZoneById("Europe/Madrid"));

        var (_, history) = await customer.GetAsync("/my/consents");
        var (status, page) = await customer.GetAsync($"/my/consents/receipt/{id}");
        using var download = await customer.Browser.Http.GetAsync($"/my/consents/receipt/{id}?format=html");
        var document = await SignedInCustomer.TextAsync(download);

        Assert.Contains("Newest first, times in Europe/Madrid.", history, StringComparison.Ordinal);
        Assert.Contains($"{madrid:yyyy-MM-dd HH:mm}", history, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<h1>Consent receipt</h1>", page, StringComparison.Ordinal);
        foreach (var text in new[] { TestController.Name, "Customer analytics", "Given", $"{madrid:yyyy-MM-dd HH:mm} (Europe/Madrid)", $"{occurredAt.UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC", "Through one of our services", id })
        {
            Assert.Contains(text, page, StringComparison.Ordinal);
            Assert.Contains(text, document, StringComparison.Ordinal);
        }

        var jws = Regex.Match(page, "<textarea id=\"jws\"[^>]*>([^<]+)</textarea>").Groups[1].Value;
        Assert.Equal(3, jws.Split('.').Length);
        // Each view signs afresh (its own "iat"), so the download carries a receipt of its own, from the same key.
        var downloaded = Regex.Match(document, "<pre>([^<]+)</pre>").Groups[1].Value;
        Assert.Equal(jws.Split('.')[0], downloaded.Split('.')[0]);
        Assert.Contains("http://localhost/.well-known/jwks.json", page, StringComparison.Ordinal);
        Assert.Equal("text/html", download.Content.Headers.ContentType!.MediaType);
        Assert.Equal($"consent-receipt-{id}.html", download.Content.Headers.ContentDisposition!.FileName?.Trim('"'));
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition.DispositionType);
        Assert.Contains("<style>", document, StringComparison.Ordinal);
        Assert.DoesNotContain("/assets/", document, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(await SignedInCustomer.AuditAsync(app, customer.SubjectId, "consent.receipt"), "\"outcome\":\"success\""));
    }

    [Fact]
    public async Task Consents_EachPurpose_NamesTheOrganisationsThatReceiveIt()
    {
        await using var app = new DataVaultApplication();
        await app.RegisterClientAsync("partner-newsletters", purposes: ["partner-sharing"]);
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);

        var (_, page) = await customer.GetAsync("/my/consents");

        Assert.Contains("<li>Test client partner-newsletters</li>", Card(page, "partner-sharing"), StringComparison.Ordinal);
        Assert.DoesNotContain("partner-newsletters", Card(page, "service-delivery"), StringComparison.Ordinal);
        Assert.Contains("<li>Test client crm-eu</li>", Card(page, "service-delivery"), StringComparison.Ordinal);
    }

    /// <summary>The card of one purpose on the consents page.</summary>
    private static string Card(string page, string purposeId)
    {
        var start = page.IndexOf($"id=\"purpose-{purposeId}\"", StringComparison.Ordinal);
        Assert.True(start >= 0, $"No card for {purposeId}.");
        return page[start..page.IndexOf("</section>", start, StringComparison.Ordinal)];
    }

    [Theory]
    [InlineData("es", "Mis consentimientos", "Correos electrónicos de marketing", "2 años")]
    [InlineData("et", "Minu nõusolekud", "Turunduslikud e-kirjad", "2 aastat")]
    public async Task Consents_InTheCustomersLanguage_ShowCatalogueTextsAndRetentionInWords(string language, string heading, string purposeTitle, string retention)
    {
        await using var app = new DataVaultApplication();
        using var customer = await SignedInCustomer.CreateAsync(app, Profile, language);

        var (status, page) = await customer.GetAsync("/my/consents");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(heading, page, StringComparison.Ordinal);
        Assert.Contains(purposeTitle, page, StringComparison.Ordinal);
        Assert.Contains(retention, page, StringComparison.Ordinal);
        Assert.DoesNotContain("Marketing emails", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Consents_AnotherCustomersSubjectOrEvent_IsNeverShownNorChanged()
    {
        await using var app = new DataVaultApplication();
        using var a = await SignedInCustomer.CreateAsync(app, new { email = "a.data@example.com" }, clientId: "crm-a");
        using var b = await SignedInCustomer.CreateAsync(app, new { email = "b.data@example.com" }, clientId: "crm-b");
        var bEvent = (await RecordAsync(b.Api, b.SubjectId, "analytics", "given")).GetProperty("event").GetProperty("id").GetString()!;

        foreach (var path in new[] { $"/my/consents/receipt/{bEvent}?subjectId={b.SubjectId}", $"/my/consents/receipt/{bEvent}?format=jws", $"/my/consents/receipt/{bEvent}?format=html" })
        {
            using var receipt = await a.Browser.Http.GetAsync(path);
            Assert.Equal(HttpStatusCode.NotFound, receipt.StatusCode);
        }

        var (_, page) = await a.GetAsync($"/my/consents?subjectId={b.SubjectId}");
        Assert.DoesNotContain(bEvent, page, StringComparison.Ordinal);
        using (await a.Browser.SubmitAsync(
            "/my/consents",
            SignedInCustomer.Form(("purpose", "analytics"), ("subjectId", b.SubjectId), ("SubjectId", b.SubjectId)),
            $"/my/consents?handler=Withdraw&subjectId={b.SubjectId}"))
        {
        }

        var history = await b.Api.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{b.SubjectId}/consents/history");
        Assert.Single(history.GetProperty("events").EnumerateArray());
    }

    [Fact]
    public async Task Consents_AuditTrailUnavailable_Answers503_AndRecordsNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var customer = await SignedInCustomer.CreateAsync(app, Profile);
        var token = PortalBrowser.AntiforgeryToken((await customer.Browser.GetAsync("/my/consents")).Html);

        using (SignedInCustomer.LockAuditTrail(app))
        {
            using var page = await customer.Browser.Http.GetAsync("/my/consents");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, page.StatusCode);
            using var give = await customer.Browser.PostAsync("/my/consents?handler=Give", SignedInCustomer.Form(("purpose", "marketing-email")), token);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, give.StatusCode);
        }

        var history = await customer.Api.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{customer.SubjectId}/consents/history");
        Assert.Empty(history.GetProperty("events").EnumerateArray());
    }

    [GeneratedRegex("href=\"(/my/consents/receipt/([^\"?]+))\"", RegexOptions.CultureInvariant)]
    private static partial Regex ReceiptLink();
}
