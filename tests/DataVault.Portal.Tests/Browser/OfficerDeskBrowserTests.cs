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

        await page.GetByLabel("Subject id").FillAsync(subjectId);
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
        await page.GetByLabel("Subject id").FillAsync(subjectId);
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
        await page.GetByLabel(Text("Subject id"), new() { Exact = true }).FillAsync(subjectId);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Open"), Exact = true }), "opened");
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
}
