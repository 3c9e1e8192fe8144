using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>The compliance officer's desk in a real chromium: verifying the audit trail, searching and exporting it, the consent overview and the record of processing.</summary>
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
}
