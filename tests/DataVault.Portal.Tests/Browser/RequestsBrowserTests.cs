using System.Globalization;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// Data-subject requests in a real chromium, in each of the portal's languages, with axe on every page: the officer
/// records a request that came by phone, works it on its page and reads the monthly counts; the customer opens a
/// request of their own and withdraws it.
/// </summary>
[Collection(SharedChromium.Name)]
public sealed class RequestsBrowserTests(ChromiumFixture chromium)
{
    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task Officer_RecordsAPhoneRequest_PausesForTheIdentityCheck_AndReadsTheCounts(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(RequestsBrowserTests), $"{nameof(Officer_RecordsAPhoneRequest_PausesForTheIdentityCheck_AndReadsTheCounts)}-{language}");
        var page = window.Page;
        string Text(string english) => Journeys.Text("RequestText", english, language);
        await Journeys.SignInOfficerAsync(app, window);
        await window.SwitchLanguageAsync(language);

        await window.SubmitAsync((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = Journeys.Text("SharedText", "Requests", language), Exact = true }), "queue-empty");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Data protection requests"));
        var record = page.Locator("form[method=post]:has(#intake-type) button[type=submit]");
        await window.SubmitAsync(record, "intake-errors");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Text("Choose the kind of request."));
        await Assertions.Expect(page.Locator("#intake-type")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.Locator("#intake-type").SelectOptionAsync("access");
        await page.Locator("#intake-channel").SelectOptionAsync("phone");
        await window.FillSecretAsync(page.Locator("#intake-phone"), "+34 600 000 012");
        await window.SubmitAsync(record, "recorded");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Access to the data (Art. 15)"));
        await window.CheckOnPhoneAndDesktopAsync("request");

        await page.Locator("#to").SelectOptionAsync("identity-check");
        await page.Locator("#pause").CheckAsync();
        await window.SubmitAsync(page.Locator("form:has(#to) button[type=submit]"), "paused");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(Text("The request was updated."));
        var today = DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        await Assertions.Expect(page.Locator("dl.facts")).ToContainTextAsync(Text("Clock paused since {0} for the identity check").Replace("{0}", today, StringComparison.Ordinal));

        await page.Locator("#note").FillAsync("Asked for a copy of the contract");
        await window.SubmitAsync(page.Locator("form:has(#note) button[type=submit]"), "noted");
        await Assertions.Expect(page.Locator("table.cards").Last).ToContainTextAsync("Asked for a copy of the contract");

        await window.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = Text("Back to the queue") }), "queue");
        await Assertions.Expect(page.Locator("table.desk-requests")).ToContainTextAsync(Text("Checking identity"));
        await window.CheckOnPhoneAndDesktopAsync("queue");
        await window.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = Text("Counts per month") }), "counts");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Requests per month"));
        await window.CheckOnPhoneAndDesktopAsync("counts");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = Text("Download as CSV") }).ClickAsync());
        Assert.Equal($"requests-{DateTime.UtcNow.Year}.csv", download.SuggestedFilename);
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task Customer_OpensARectificationRequest_SeesItsDueDate_AndWithdrawsIt(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(RequestsBrowserTests), $"{nameof(Customer_OpensARectificationRequest_SeesItsDueDate_AndWithdrawsIt)}-{language}", width: 390);
        var page = window.Page;
        string Text(string english) => Journeys.Text("RequestText", english, language);
        await Journeys.ActivateCustomerAsync(app, window);
        await window.SwitchLanguageAsync(language);

        await window.SubmitAsync((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = Journeys.Text("SharedText", "My requests", language), Exact = true }), "requests-empty");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("My requests"));
        var send = page.Locator("form[method=post]:has(#details) button[type=submit]");
        await window.SubmitAsync(send, "errors");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Text("Choose what you ask for."));
        await window.AssertFitsWidthAsync("errors");

        await page.Locator("#type-rectification").CheckAsync();
        await page.Locator("#details").FillAsync("My date of birth is wrong and the page does not let me change it.");
        await window.SubmitAsync(send, "opened");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("Correction of data (Art. 16)"));
        await Assertions.Expect(page.Locator("ol.request-steps")).ToContainTextAsync(Text("Identity established"));
        await window.CheckOnPhoneAndDesktopAsync("request");

        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("Withdraw the request") }), "withdrawn");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync(Text("You withdrew this request."));
        await window.SubmitAsync(page.GetByRole(AriaRole.Link, new() { Name = Text("Back to my requests") }), "list");
        await Assertions.Expect(page.Locator("main table")).ToContainTextAsync(Text("Withdrawn"));
        await window.CheckOnPhoneAndDesktopAsync("list");
    }
}
