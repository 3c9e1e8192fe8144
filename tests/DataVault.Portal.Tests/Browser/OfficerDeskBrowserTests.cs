using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

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
        await AssertFitsAsync(page, "en");

        foreach (var language in new[] { "es", "ca", "it", "et" })
        {
            var culture = new System.Globalization.CultureInfo(language);
            await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = culture.TextInfo.ToTitleCase(culture.NativeName), Exact = true }), $"invite-{language}");
            await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Journeys.Text("DeskText", "Invite a customer", language));
            await window.SubmitAsync(page.Locator("main button[type=submit]"), $"errors-{language}");
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            await AssertFitsAsync(page, language);
        }
    }

    /// <summary>Nothing on the page is wider than the phone's screen (no sideways scrolling).</summary>
    private static async Task AssertFitsAsync(IPage page, string language)
    {
        var width = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth");
        Assert.True(width <= 390, $"The page is {width} px wide in {language}, wider than a 390 px phone.");
    }
}
