using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>The layout every page shares: the menu on a phone and on a wide screen, the current page marked, the controller named.</summary>
[Collection(SharedChromium.Name)]
public sealed class LayoutBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task Menu_OnAPhoneWithoutScript_OpensFromItsToggle_AndMarksTheCurrentPage()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(LayoutBrowserTests), nameof(Menu_OnAPhoneWithoutScript_OpensFromItsToggle_AndMarksTheCurrentPage), javaScript: false, width: 390);
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window);

        await window.GotoAsync("/my/consents", "consents");
        var toggle = page.Locator("details.menu > summary");
        var consents = page.GetByRole(AriaRole.Link, new() { Name = "My consents", Exact = true });
        await Assertions.Expect(toggle).ToBeVisibleAsync();
        await Assertions.Expect(consents).ToBeHiddenAsync();
        await window.AssertFitsWidthAsync("closed");

        await toggle.ClickAsync();
        await window.CheckAsync("menu-open");

        await Assertions.Expect(consents).ToBeVisibleAsync();
        await Assertions.Expect(consents).ToHaveAttributeAsync("aria-current", "page");
        await Assertions.Expect(page.Locator("nav [aria-current=page]")).ToHaveCountAsync(1);
        var box = await page.GetByRole(AriaRole.Link, new() { Name = "My data", Exact = true }).BoundingBoxAsync();
        Assert.True(box!.Height >= 44, $"A menu link is {box.Height} px tall; touch targets are at least 44.");
        await window.AssertFitsWidthAsync("open");
    }

    [Fact]
    public async Task Menu_OnAWideScreen_ShowsEveryLinkWithoutItsToggle_AndTheFooterNamesTheController()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(LayoutBrowserTests), nameof(Menu_OnAWideScreen_ShowsEveryLinkWithoutItsToggle_AndTheFooterNamesTheController), width: 1280);
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window);

        await window.GotoAsync("/my/data", "data");

        await Assertions.Expect(page.Locator("details.menu > summary")).ToBeHiddenAsync();
        var nav = page.GetByRole(AriaRole.Navigation);
        foreach (var name in new[] { "Your account", "My data", "My consents", "Who used my data", "Restrict or object", "Download my data", "Erase my data" })
        {
            await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = name, Exact = true })).ToBeVisibleAsync();
        }

        await Assertions.Expect(nav.GetByRole(AriaRole.Link, new() { Name = "My data", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        var footer = page.GetByRole(AriaRole.Contentinfo);
        await Assertions.Expect(footer).ToContainTextAsync(TestController.Name);
        await Assertions.Expect(footer.GetByRole(AriaRole.Link, new() { Name = TestController.ContactEmail })).ToHaveAttributeAsync("href", $"mailto:{TestController.ContactEmail}");
        await Assertions.Expect(page.GetByRole(AriaRole.Banner)).ToContainTextAsync(TestController.Name);
    }
}
