using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>My data (rectification, Art. 16) and My consents (withdrawal, Art. 7(3)) in a real chromium, with the API reading the same vault.</summary>
[Collection(SharedChromium.Name)]
public sealed class DataAndConsentsBrowserTests(ChromiumFixture chromium)
{
    private const string Address = "ana.data@example.com";

    [Fact]
    public async Task Data_Correction_ShowsTheErrorNextToTheField_ThenSavesAValidValue()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        app.Monitor.Remember(Address);
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(DataAndConsentsBrowserTests), nameof(Data_Correction_ShowsTheErrorNextToTheField_ThenSavesAValidValue));
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window, fields: new { email = Address, given_name = "Ana" });

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "My data", Exact = true }), "data");
        await Assertions.Expect(page.Locator("#field-email .value")).ToHaveTextAsync(Address);
        await Assertions.Expect(page.Locator("#field-email .kept")).ToHaveTextAsync("Kept while Providing our service may use it.");
        await window.SubmitAsync(page.Locator("#field-email a.correct-link"), "correct");
        await page.Locator("#value-email").FillAsync("not an address");
        await window.SubmitAsync(page.Locator("#field-email").GetByRole(AriaRole.Button, new() { Name = "Save the correction" }), "invalid");

        var input = page.Locator("#value-email");
        await Assertions.Expect(page.Locator("#error-email")).ToBeVisibleAsync();
        await Assertions.Expect(input).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(input).ToHaveAttributeAsync("aria-describedby", new Regex(@"\berror-email\b"));
        await Assertions.Expect(page.Locator("#field-email .value")).ToHaveTextAsync(Address);

        const string corrected = "ana.corrected@example.com";
        app.Monitor.Remember(corrected);
        await input.FillAsync(corrected);
        await window.SubmitAsync(page.Locator("#field-email").GetByRole(AriaRole.Button, new() { Name = "Save the correction" }), "saved");
        await Assertions.Expect(page.Locator("#field-email .value")).ToHaveTextAsync(corrected);
        await Assertions.Expect(page.Locator("#error-email")).ToHaveCountAsync(0);
    }

    [Theory]
    [InlineData("es", "Lo conservamos mientras")]
    [InlineData("ca", "El conservem mentre")]
    [InlineData("it", "Lo conserviamo finché")]
    [InlineData("et", "Säilitame seda seni")]
    public async Task Data_SaysHowLongEachFieldIsKept_InEveryLanguage(string language, string kept)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        app.Monitor.Remember(Address);
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(DataAndConsentsBrowserTests), $"{nameof(Data_SaysHowLongEachFieldIsKept_InEveryLanguage)}-{language}");
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window, fields: new { email = Address, given_name = "Ana" });
        await window.GotoAsync("/my/data");

        await window.SwitchLanguageAsync(language);

        await Assertions.Expect(page.Locator("#field-email .kept")).ToContainTextAsync(kept);
        await window.CheckAsync("kept");
    }

    [Fact]
    public async Task Consents_WithdrawInThePortal_TheNextApiReadWithholdsTheFields()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        app.Monitor.Remember(Address);
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(DataAndConsentsBrowserTests), nameof(Consents_WithdrawInThePortal_TheNextApiReadWithholdsTheFields));
        var page = window.Page;
        var subjectId = await Journeys.ActivateCustomerAsync(app, window, fields: new { email = Address, given_name = "Ana" });
        using var api = await app.CreateClientAsync("crm-newsletter");
        await VaultApi.RecordAsync(api, subjectId, "marketing-email", "given");
        Assert.Contains("email", VaultApi.Released(await VaultApi.ReadAsync(api, subjectId, "marketing-email")));

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "My consents" }), "consents");
        await window.SubmitAsync(Decision(page, "Withdraw consent"), "withdrawn");

        await Assertions.Expect(Decision(page, "Give consent")).ToBeVisibleAsync();
        var read = await VaultApi.ReadAsync(api, subjectId, "marketing-email");
        Assert.DoesNotContain("email", VaultApi.Released(read));
        Assert.Contains("email", VaultApi.Withheld(read).Keys);

        await window.SubmitAsync(Decision(page, "Give consent"), "given-again");
        Assert.Contains("email", VaultApi.Released(await VaultApi.ReadAsync(api, subjectId, "marketing-email")));
    }

    /// <summary>The give or withdraw button of the marketing e-mail purpose.</summary>
    private static ILocator Decision(IPage page, string action) =>
        page.Locator("form:has(input[name=purpose][value=marketing-email])").GetByRole(AriaRole.Button, new() { Name = action });
}
