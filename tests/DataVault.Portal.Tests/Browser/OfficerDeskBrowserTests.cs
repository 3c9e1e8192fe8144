using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests.Browser;

/// <summary>The compliance officer's desk in a real chromium: verifying the audit trail, searching and exporting it, the consent overview, the record of processing, and inviting a customer.</summary>
[Collection(SharedChromium.Name)]
public sealed class OfficerDeskBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task Officer_VerifiesSearchesAndExportsTheAuditTrail_AndReadsTheDesk()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var (subjectId, _) = await PortalBrowser.InviteAsync(app, api);
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(OfficerDeskBrowserTests), nameof(Officer_VerifiesSearchesAndExportsTheAuditTrail_AndReadsTheDesk));
        var page = window.Page;
        await Journeys.SignInOfficerAsync(app, window);

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Audit trail" }), "audit");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Verify integrity" }), "verified");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The audit trail is intact.");

        await page.GetByLabel("Subject id", new() { Exact = true }).FillAsync(subjectId);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Search" }), "search");
        await Assertions.Expect(page.Locator("table.audit-results")).ToContainTextAsync("subject.create");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download these entries as CSV" }).ClickAsync());
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains(subjectId, csv, StringComparison.Ordinal);

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Consent overview" }), "consents");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Consent overview");
        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Record of processing" }), "record");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Record of processing activities");

        // The customer's pages are not the officer's.
        var response = await window.GotoAsync("/my/access-log", "customer-page");
        Assert.DoesNotMatch(new Regex("/my/access-log$"), page.Url);
        Assert.True(response.Ok || response.Status == 404, $"{response.Status}");
    }

    [Fact]
    public async Task Officer_InvitesACustomerAfterCheckingTheirIdentity_OnAPhoneInEveryLanguage()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Pere" } });
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(OfficerDeskBrowserTests), nameof(Officer_InvitesACustomerAfterCheckingTheirIdentity_OnAPhoneInEveryLanguage));
        var page = window.Page;
        await Journeys.SignInOfficerAsync(app, window);
        await page.SetViewportSizeAsync(390, 844);

        await window.GotoAsync("/desk/invite", "invite");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }), "empty");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Choose the identity document you checked.");
        await page.GetByLabel("Subject id", new() { Exact = true }).FillAsync(subjectId);
        await page.GetByLabel("Passport").CheckAsync();
        await window.FillSecretAsync(page.GetByLabel("E-mail address the customer proved is theirs"), "pere.proved@example.com");
        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Send the invitation" }), "sent");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("Invitation sent to p***@example.com.");
        await window.AssertFitsWidthAsync("sent-en");

        foreach (var language in new[] { "es", "ca", "it", "et" })
        {
            var culture = new System.Globalization.CultureInfo(language);
            await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = culture.TextInfo.ToTitleCase(culture.NativeName), Exact = true }), $"invite-{language}");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Journeys.Text("DeskText", "Invite a customer", language));
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"errors-{language}");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            await window.AssertFitsWidthAsync($"errors-{language}");
        }
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task CustomerRecord_OnAPhoneInEachLanguage_OfficerLiftsWhatTheCustomerChose(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = "ana.phone@example.com", given_name = "Ana" } });
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/subjects/{subjectId}/restriction", new { reason = "accuracy contested" })).StatusCode);
        using (var signal = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{subjectId}/consents"))
        {
            signal.Headers.Add("Sec-GPC", "1");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(signal)).StatusCode);
        }

        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(OfficerDeskBrowserTests), $"{nameof(CustomerRecord_OnAPhoneInEachLanguage_OfficerLiftsWhatTheCustomerChose)}-{language}", width: 390);
        var page = window.Page;
        string Text(string english) => Journeys.Text("DeskText", english, language);
        await Journeys.SignInOfficerAsync(app, window);
        var native = new System.Globalization.CultureInfo(language).TextInfo.ToTitleCase(new System.Globalization.CultureInfo(language).NativeName);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = native, Exact = true }), "switched");

        await window.SubmitAsync((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = Journeys.Text("SharedText", "Customer record", language), Exact = true }), "customer-record");
        await window.AssertFitsWidthAsync("look-up");
        await page.GetByLabel(Text("E-mail address, phone number or subject id"), new() { Exact = true }).FillAsync(subjectId);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Find"), Exact = true }), "opened");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Customer record"));
        await window.AssertFitsWidthAsync("opened");

        await page.GetByLabel(Text("Why you lift it (the customer sees this)")).First.FillAsync("accuracy verified by phone");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Lift the restriction") }), "lifted");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(Text("The restriction has been lifted."));
        await window.AssertFitsWidthAsync("lifted");

        // A reason left out is shown next to its field, and nothing is lifted.
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Lift the objection") }).First, "objection-without-reason");
        await Assertions.Expect(page.Locator(".field-error")).ToHaveTextAsync(Text("Give a reason of at most 500 characters, on one line, without control characters."));
        await window.AssertFitsWidthAsync("objection-without-reason");
        Assert.Equal("objected", Withheld(await ReadAsync(api, subjectId, "partner-sharing"))["email"]);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("ca")]
    [InlineData("et")]
    public async Task Officer_FindsACustomerByPhone_ReadsThemInWords_ThenTheRecordOfProcessingAndTheConsentTrend(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var (subjectId, activation) = await Journeys.CustomerWithAHistoryAsync(app);
        await using (var customer = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(OfficerDeskBrowserTests), $"customer-asks-{language}"))
        {
            // The customer asks for a copy of their data themselves: a request the desk shows.
            var own = customer.Page;
            await customer.GotoAsync(activation, "activate");
            await customer.FillSecretAsync(own.Locator("#Input_Password"), Journeys.Password);
            await customer.FillSecretAsync(own.Locator("#Input_ConfirmPassword"), Journeys.Password);
            await customer.SubmitAsync(own.Locator("main button[type=submit]"), "activated");
            await customer.GotoAsync("/my/export", "export");
            var download = await own.RunAndWaitForDownloadAsync(() => own.GetByRole(AriaRole.Button, new() { Name = "Download my data (ZIP)" }).ClickAsync());
            Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
            await download.DeleteAsync();
        }

        var test = $"{nameof(Officer_FindsACustomerByPhone_ReadsThemInWords_ThenTheRecordOfProcessingAndTheConsentTrend)}-{language}";
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(OfficerDeskBrowserTests), test, acceptLanguage: language, width: 390);
        var page = window.Page;
        string Text(string english) => Journeys.Text("DeskText", english, language);
        var officer = await Journeys.SignInOfficerAsync(app, window);

        // Item 7: found by phone number through the blind index, one view of where the customer stands.
        await window.SubmitAsync((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = Journeys.Text("SharedText", "Customer record", language), Exact = true }), "find");
        await page.Locator("#find").FillAsync("+34 600 123 456");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Find"), Exact = true }), "found");
        Assert.EndsWith($"/desk/subjects/{subjectId}", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync(Text("Restricted (GDPR Art. 18)"));
        await Assertions.Expect(page.Locator("table.subject-consents")).ToContainTextAsync(Text("Consent withdrawn"));
        await Assertions.Expect(page.Locator("#objection-all, [id^='objection-']").First).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("table.subject-recipients")).ToContainTextAsync("Test client us-mailer");
        var requests = page.Locator("section[aria-labelledby='requests-heading']");
        await Assertions.Expect(requests.Locator("h2")).ToHaveTextAsync(Text("Requests"));
        await Assertions.Expect(requests).ToContainTextAsync(Text("Copy of all data given to the customer"));
        await Assertions.Expect(requests).ToContainTextAsync(Text("Done"));
        var accesses = page.Locator("section[aria-labelledby='accesses-heading']");
        await Assertions.Expect(accesses).ToContainTextAsync(Text("Data read for a purpose"));
        await Assertions.Expect(accesses).ToContainTextAsync(officer.Email);
        await Assertions.Expect(accesses).Not.ToContainTextAsync(officer.Id);
        await Assertions.Expect(accesses.Locator("code.audit-code").First).ToBeAttachedAsync();
        var template = string.Format(CultureInfo.InvariantCulture, Text("Entries {0} to {1} of {2}, newest first"), "1", "\u0001", "\u0002");
        var position = Regex.Escape(template).Replace("\u0001", "(\\d+)", StringComparison.Ordinal).Replace("\u0002", "(\\d+)", StringComparison.Ordinal);
        var counted = Regex.Match(await accesses.Locator("caption").InnerTextAsync(), position);
        Assert.True(counted.Success, await accesses.Locator("caption").InnerTextAsync());
        Assert.Equal(counted.Groups[1].Value, counted.Groups[2].Value);
        await window.CheckOnPhoneAndDesktopAsync("customer");

        // Item 8: the record of processing names the controller, the transfer abroad with its safeguard, a version and a date.
        await window.SubmitAsync((await window.MenuAsync()).Locator("a[href='/desk/record']"), "record");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Record of processing activities"));
        await Assertions.Expect(page.Locator("dl.record-version")).ToContainTextAsync(Text("Version of this record"));
        await Assertions.Expect(page.Locator("ul.transfers")).ToContainTextAsync("SCC 2021/914");
        await Assertions.Expect(page.Locator("ul.transfers")).ToContainTextAsync("Test client us-mailer");
        await Assertions.Expect(page.Locator("table.record-recipients")).ToContainTextAsync("Test client us-mailer");
        await window.CheckOnPhoneAndDesktopAsync("record");

        // Item 9: the withdrawal beside the consent in the trend, the objection through Global Privacy Control counted, in the singular.
        await window.SubmitAsync((await window.MenuAsync()).Locator("a[href='/desk/consents']"), "consents");
        await Assertions.Expect(page.Locator("#gpc-summary")).ToHaveTextAsync(
            Text("{0} customer objects through Global Privacy Control, a signal their browser sends, to the purposes that sell or share data.").Replace("{0}", "1", StringComparison.Ordinal));
        var analytics = page.Locator("section[aria-labelledby='trend-analytics'] table.trend-figures tbody tr").Last;
        await Assertions.Expect(analytics.Locator("td").Last).ToHaveTextAsync("1");
        await window.CheckOnPhoneAndDesktopAsync("consents");
    }
}
