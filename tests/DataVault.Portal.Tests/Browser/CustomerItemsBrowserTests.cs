using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataVault.Policies;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// A customer goes through every page of theirs as a person would, on a 1280×800 screen and on a 390×844
/// phone, in English, Catalan and Estonian: who used their data, their data, their consents and a receipt,
/// the privacy notice, and erasure. Every page is checked by axe and must fit the viewport's width.
/// </summary>
[Collection(SharedChromium.Name)]
public sealed class CustomerItemsBrowserTests(ChromiumFixture chromium)
{
    private const string Address = "marta.items@example.com";
    private const string Partner = "crm-newsletter";
    private const string PartnerName = $"Test client {Partner}";
    private const string Zone = "Europe/Tallinn";

    /// <summary>The interests the customer has, as fields.yaml names them in each language.</summary>
    private static readonly Dictionary<string, string> Interests = new(StringComparer.Ordinal)
    {
        ["en"] = "Books, Travel",
        ["ca"] = "Llibres, Viatges",
        ["et"] = "Raamatud, Reisimine",
    };

    [Theory]
    [InlineData("en", 1280, 800)]
    [InlineData("en", 390, 844)]
    [InlineData("ca", 1280, 800)]
    [InlineData("ca", 390, 844)]
    [InlineData("et", 1280, 800)]
    [InlineData("et", 390, 844)]
    public async Task Customer_GoesThroughEveryPage_EachItemHolds(string language, int width, int height)
    {
        using var logo = new TempDirectory();
        var logoPath = Path.Combine(logo.Path, "logo.svg");
        await File.WriteAllTextAsync(logoPath, """<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32"><rect width="32" height="32" fill="#1a4f8b"/></svg>""");
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["Controller:TimeZone"] = Zone,
            ["Controller:LogoPath"] = logoPath,
        });
        app.StartOnLoopback();
        app.Monitor.Remember(Address);
        var wide = width > 600;
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(CustomerItemsBrowserTests), $"{nameof(Customer_GoesThroughEveryPage_EachItemHolds)}-{language}-{width}", acceptLanguage: language, width: width);
        await window.Page.SetViewportSizeAsync(width, height);
        var page = window.Page;
        string Text(string resource, string english) => Journeys.Text(resource, english, language);
        var catalogue = app.Services.GetRequiredService<PolicyCatalogue>();
        string PurposeTitle(string id) => catalogue.Purposes[id].Text[language].Title;

        var subjectId = await ActivateAsync(app, window, language, Text);
        using var partner = await app.CreateClientAsync(Partner);
        await VaultApi.RecordAsync(partner, subjectId, "marketing-email", "given");
        await VaultApi.ReadAsync(partner, subjectId, "marketing-email");

        // Item 11: the controller's name and logo head every page, and focus is visible.
        var banner = page.GetByRole(AriaRole.Banner);
        await Assertions.Expect(banner).ToContainTextAsync(TestController.Name);
        await Assertions.Expect(banner.Locator("img.brand-logo")).ToBeVisibleAsync();
        await page.Keyboard.PressAsync("Tab");
        Assert.True(
            await page.EvaluateAsync<bool>("() => { const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' || s.boxShadow !== 'none'; }"),
            "The first element reached with the keyboard shows no focus style.");

        // Item 1: by default only other parties' actions, with their real outcome; own activity on request.
        await GoThroughMenuAsync(window, Text("SharedText", "Who used my data"), "access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("AccessLogText", "Who used your data"));
        var who = page.Locator("table.access-log tbody tr td:nth-child(2)");
        await Assertions.Expect(who.Filter(new() { HasText = PartnerName }).First).ToBeVisibleAsync();
        Assert.DoesNotContain(Text("AccessLogText", "You"), await who.AllInnerTextsAsync());
        await Assertions.Expect(page.Locator("table.access-log caption")).ToContainTextAsync(Zone);
        foreach (var control in new[] { page.Locator("#purpose"), page.Locator("form.filters button[type=submit]") })
        {
            var box = await control.BoundingBoxAsync();
            Assert.True(box!.Height >= 44, $"A filter control is {box.Height} px tall; touch targets are at least 44.");
        }

        // Item 10: a table is a table on a wide screen, and one card per row on a phone.
        var rowDisplay = await page.Locator("table.access-log tbody tr").First.EvaluateAsync<string>("r => getComputedStyle(r).display");
        Assert.Equal(wide ? "table-row" : "block", rowDisplay);
        await page.GetByLabel(Text("AccessLogText", "Show my own activity too (signing in, viewing these pages, my own changes)")).CheckAsync();
        await window.SubmitAsync(page.Locator("form.filters button[type=submit]"), "access-log-mine");
        await window.AssertFitsWidthAsync("access-log-mine");
        Assert.Contains(Text("AccessLogText", "You"), await who.AllInnerTextsAsync());

        // Item 3: interests in the customer's language; "Used for" only what may use the field now.
        await GoThroughMenuAsync(window, Text("SharedText", "My data"), "data");
        await Assertions.Expect(page.Locator("#field-interests .value")).ToHaveTextAsync(Interests[language]);
        var interestUses = page.Locator("#field-interests dd ul");
        await Assertions.Expect(interestUses).ToContainTextAsync(PurposeTitle("marketing-email"));
        await Assertions.Expect(interestUses).Not.ToContainTextAsync(PurposeTitle("analytics"));
        await Assertions.Expect(page.Locator("#field-interests .hint")).ToContainTextAsync(PurposeTitle("analytics"));
        var titles = await page.Locator(".my-data > section.held-field h2").AllInnerTextsAsync();
        Assert.Equal(
            catalogue.FieldsInOrder.Where(f => f.Name is "given_name" or "email" or "interests").Select(f => f.Title[language]),
            titles);

        // Item 3: a detail not given yet is added where a purpose may use it.
        await window.SubmitAsync(page.Locator("#add-phone a.add-link"), "add-phone");
        const string number = "+34600111222";
        app.Monitor.Remember(number);
        await page.Locator("#value-phone").FillAsync(number);
        await window.SubmitAsync(page.Locator("#add-phone button[type=submit]"), "phone-added");
        await window.AssertFitsWidthAsync("phone-added");
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync(string.Format(CultureInfo.InvariantCulture, Text("MyDataText", "Your {0} has been added."), catalogue.Fields["phone"].Title[language]));
        await Assertions.Expect(page.Locator("#field-phone .value")).ToHaveTextAsync(number);

        // Item 4: recipients by name, a confirmation after a decision, and a readable receipt with its signature.
        await GoThroughMenuAsync(window, Text("SharedText", "My consents"), "consents");
        var marketing = page.Locator("#purpose-marketing-email");
        await Assertions.Expect(marketing).ToContainTextAsync(PartnerName);
        await window.SubmitAsync(marketing.GetByRole(AriaRole.Button, new() { Name = Text("MyConsentsText", "Withdraw consent"), Exact = false }), "withdrawn");
        await window.AssertFitsWidthAsync("withdrawn");
        var confirmation = page.Locator("#purpose-marketing-email").GetByRole(AriaRole.Status);
        await Assertions.Expect(confirmation).ToContainTextAsync(PurposeTitle("marketing-email"));
        await window.SubmitAsync(confirmation.GetByRole(AriaRole.Link, new() { Name = Text("MyConsentsText", "See the receipt") }), "receipt");
        await window.AssertFitsWidthAsync("receipt");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("MyConsentsText", "Consent receipt"));
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(TestController.Name);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Zone);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("UTC");
        await Assertions.Expect(page.Locator("textarea#jws")).ToHaveValueAsync(new Regex(@"^[\w-]+\.[\w-]+\.[\w-]+$"));
        var receipt = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = Text("MyConsentsText", "Download as a web page (HTML)") }).ClickAsync());
        var saved = Path.Combine(logo.Path, "receipt.html");
        await receipt.SaveAsAsync(saved);
        var document = WebUtility.HtmlDecode(await File.ReadAllTextAsync(saved));
        Assert.Contains(TestController.Name, document, StringComparison.Ordinal);
        Assert.Contains(PurposeTitle("marketing-email"), document, StringComparison.Ordinal);

        // Item 6: the footer leads to the privacy notice, which names the controller.
        await window.SubmitAsync(page.GetByRole(AriaRole.Contentinfo).GetByRole(AriaRole.Link, new() { Name = Text("SharedText", "Privacy notice"), Exact = true }), "privacy");
        await window.AssertFitsWidthAsync("privacy");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("PrivacyText", "Privacy notice"));
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(TestController.Name);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(PartnerName);

        // Item 5: a copy first, what becomes of the account, and a receipt to download; nothing overflows.
        await GoThroughMenuAsync(window, Text("SharedText", "Erase my data"), "erase");
        var copyFirst = page.Locator("section[aria-labelledby=copy-first]");
        await Assertions.Expect(copyFirst.GetByRole(AriaRole.Heading)).ToHaveTextAsync(Text("ErasureText", "Download your data first"));
        var copy = await page.RunAndWaitForDownloadAsync(() => copyFirst.GetByRole(AriaRole.Button, new() { Name = Text("ErasureText", "Download my data (ZIP)") }).ClickAsync());
        Assert.EndsWith(".zip", copy.SuggestedFilename, StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync(Text("ErasureText", "You are signed out at once and your portal account is deleted: you cannot sign in again. If you come back later, you start again as a new customer."));
        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await window.FillSecretAsync(page.Locator("#Confirm_Password"), Journeys.Password);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = Text("ErasureText", "Erase my data now") }), "erased");
        await window.AssertFitsWidthAsync("erased");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Text("ErasureText", "Your data has been erased"));
        var erasure = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = Text("ErasureText", "Download the receipt (HTML)") }).ClickAsync());
        Assert.EndsWith(".html", erasure.SuggestedFilename, StringComparison.Ordinal);
    }

    /// <summary>Every page a customer can reach, on a 390×844 phone in each of the five languages: axe finds nothing and nothing is wider than the screen.</summary>
    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task EveryCustomerPage_OnAPhone_FitsTheScreenInEachLanguage(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        app.Monitor.Remember(Address);
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(CustomerItemsBrowserTests), $"{nameof(EveryCustomerPage_OnAPhone_FitsTheScreenInEachLanguage)}-{language}", acceptLanguage: language, width: 390);
        await window.Page.SetViewportSizeAsync(390, 844);
        var subjectId = await ActivateAsync(app, window, language, (resource, english) => Journeys.Text(resource, english, language));
        using var partner = await app.CreateClientAsync(Partner);
        await VaultApi.RecordAsync(partner, subjectId, "marketing-email", "given");

        foreach (var path in new[] { "/", "/my/data", "/my/data?add=phone", "/my/consents", "/my/access-log", "/my/access-log?mine=true", "/my/choices", "/my/export", "/my/erase", "/account/two-factor", "/privacy" })
        {
            await window.GotoAsync(path, path);
            await window.AssertFitsWidthAsync(path);
        }

        await window.GotoAsync("/my/consents", "consents");
        await window.SubmitAsync(window.Page.Locator("table.history a").First, "receipt");
        await window.AssertFitsWidthAsync("receipt");
        await window.MenuAsync();
        await window.CheckAsync("menu-open");
        await window.AssertFitsWidthAsync("menu-open");
    }

    /// <summary>Item 10: reaches a page through the menu (opened first on a phone), which marks it as the current page.</summary>
    private static async Task GoThroughMenuAsync(PortalWindow window, string link, string step)
    {
        var menu = await window.MenuAsync();
        await window.SubmitAsync(menu.GetByRole(AriaRole.Link, new() { Name = link, Exact = true }), step);
        await window.AssertFitsWidthAsync(step);
        var current = (await window.MenuAsync()).Locator("[aria-current=page]");
        await Assertions.Expect(current).ToHaveCountAsync(1);
        await Assertions.Expect(current).ToHaveTextAsync(link);
    }

    /// <summary>A customer with a name, an address and two interests, invited by e-mail and activated in <paramref name="language"/>, chosen with the switcher.</summary>
    private static async Task<string> ActivateAsync(DataVaultApplication app, PortalWindow window, string language, Func<string, string, string> text)
    {
        using var api = await app.CreateClientAsync();
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Marta", email = Address, interests = new[] { "books", "travel" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        Assert.Equal(HttpStatusCode.Accepted, (await api.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).StatusCode);
        var activation = DeliveredMail.InvitationLink(await DeliveredMail.WaitForEmlToAsync(app, Address));
        app.Monitor.Remember(activation.Query["?token=".Length..]);

        var page = window.Page;
        await window.GotoAsync(activation.PathAndQuery, "activate");
        await window.AssertFitsWidthAsync("activate");

        // The language chosen with the switcher is kept in a cookie, which downloads carry too.
        var culture = new CultureInfo(language);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = culture.TextInfo.ToTitleCase(culture.NativeName), Exact = true }), "language");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await window.FillSecretAsync(page.Locator("#Input_Password"), Journeys.Password);
        await window.FillSecretAsync(page.Locator("#Input_ConfirmPassword"), Journeys.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "activated");
        await window.AssertFitsWidthAsync("activated");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(text("HomeText", "Your account"));
        return subjectId;
    }
}
