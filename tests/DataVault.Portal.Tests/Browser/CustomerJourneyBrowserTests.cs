using System.IO.Compression;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>A customer's journeys through the portal in a real chromium: export, erasure, and every customer page in each language.</summary>
[Collection(SharedChromium.Name)]
public sealed class CustomerJourneyBrowserTests(ChromiumFixture chromium)
{
    [Fact]
    public async Task Export_DownloadsAZipWhoseManifestMatchesEveryFile()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CustomerJourneyBrowserTests), nameof(Export_DownloadsAZipWhoseManifestMatchesEveryFile));
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window);

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Download my data" }), "export");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Download my data");
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Button, new() { Name = "Download my data (ZIP)" }).ClickAsync());

        Assert.EndsWith(".zip", download.SuggestedFilename, StringComparison.Ordinal);
        var path = Path.Combine(Path.GetTempPath(), "datavault-tests", $"{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(path);
        try
        {
            using var zip = ZipFile.OpenRead(path);
            var files = zip.Entries.ToDictionary(e => e.FullName, Read, StringComparer.Ordinal);
            using var manifest = JsonDocument.Parse(files["manifest.json"]);
            var listed = manifest.RootElement.GetProperty("files").EnumerateArray().ToList();
            Assert.Contains(listed, f => f.GetProperty("name").GetString() == "data.json");
            foreach (var file in listed)
            {
                var bytes = files[file.GetProperty("name").GetString()!];
                Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), file.GetProperty("sha256").GetString());
            }
        }
        finally
        {
            File.Delete(path);
        }

        // Still on the export page, still signed in: a download does not navigate away.
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/my/export$"));
        await window.GotoAsync("/my/access-log", "access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Table)).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Erase_AsksForConfirmationAndThePassword_ShowsTheReceipt_AndEndsTheSession()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CustomerJourneyBrowserTests), nameof(Erase_AsksForConfirmationAndThePassword_ShowsTheReceipt_AndEndsTheSession));
        var page = window.Page;
        await Journeys.ActivateCustomerAsync(app, window);

        await window.SubmitAsync(page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Erase my data" }), "erase");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Erase my data now" }), "not-confirmed");
        await Assertions.Expect(page.Locator("#understood-error")).ToContainTextAsync("Tick the box");
        await Assertions.Expect(page.GetByRole(AriaRole.Checkbox)).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Erase my data now" }), "no-password");
        await Assertions.Expect(page.Locator("#Confirm_Password-error")).ToHaveTextAsync("Enter your password.");
        await Assertions.Expect(page.GetByLabel("Your password")).ToHaveAttributeAsync("aria-invalid", "true");

        await page.GetByRole(AriaRole.Checkbox).CheckAsync();
        await window.FillSecretAsync(page.GetByLabel("Your password"), Journeys.Password);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Erase my data now" }), "receipt");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Your data has been erased");
        await Assertions.Expect(page.Locator(".erasure-receipt code")).Not.ToBeEmptyAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Navigation)).ToHaveCountAsync(0);

        // The receipt downloads as a file though no session is left: it travels inside the page.
        var reference = await page.Locator(".erasure-receipt code").InnerTextAsync();
        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download the receipt (HTML)" }).ClickAsync());
        Assert.Equal($"erasure-receipt-{reference}.html", download.SuggestedFilename);
        var saved = Path.Combine(Path.GetTempPath(), "datavault-tests", $"{Guid.NewGuid():N}.html");
        await download.SaveAsAsync(saved);
        try
        {
            Assert.Contains(reference, await File.ReadAllTextAsync(saved), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(saved);
        }

        await window.GotoAsync("/my/access-log", "after-erasure");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Locator("#Input_Email").FillAsync("ana.browser@example.com");
        await window.FillSecretAsync(page.Locator("#Input_Password"), Journeys.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "sign-in-refused");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Sign-in failed");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task Journey_InEachLanguage_ChosenWithTheSwitcher(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "ana.browser@example.com");
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CustomerJourneyBrowserTests), $"{nameof(Journey_InEachLanguage_ChosenWithTheSwitcher)}-{language}");
        var page = window.Page;
        string Heading(string marker, string english) => Journeys.Text(marker, english, language);

        await window.GotoAsync(activation, "activate");
        var native = new System.Globalization.CultureInfo(language).TextInfo.ToTitleCase(new System.Globalization.CultureInfo(language).NativeName);
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = native, Exact = true }), "switched");
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("AccountText", "Set up your account"));
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("a***@example.com");

        await window.FillSecretAsync(page.Locator("#Input_Password"), Journeys.Password);
        await window.FillSecretAsync(page.Locator("#Input_ConfirmPassword"), "not the same passphrase");
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "mismatch");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Heading("SharedText", "The two passwords are not the same."));
        await window.FillSecretAsync(page.Locator("#Input_Password"), Journeys.Password);
        await window.FillSecretAsync(page.Locator("#Input_ConfirmPassword"), Journeys.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "activated");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("HomeText", "Your account"));

        var nav = page.GetByRole(AriaRole.Navigation);
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "Who used my data"), Exact = true }), "access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("AccessLogText", "Who used your data"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "My data"), Exact = true }), "data");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("MyDataText", "My data"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "My consents"), Exact = true }), "consents");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("MyConsentsText", "My consents"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "Restrict or object"), Exact = true }), "choices");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("MyChoicesText", "Restrict or object"));
        await window.GotoAsync("/account/two-factor", "two-factor");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("AccountText", "Two-factor sign-in"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "Download my data"), Exact = true }), "export");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("ExportText", "Download my data"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Link, new() { Name = Heading("SharedText", "Erase my data"), Exact = true }), "erase");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("ErasureText", "Erase my data"));
        await window.SubmitAsync(nav.GetByRole(AriaRole.Button, new() { Name = Heading("SharedText", "Sign out") }), "signed-out");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync(Heading("AccountText", "Sign in"));
        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
    }

    private static byte[] Read(ZipArchiveEntry entry)
    {
        using var stream = entry.Open();
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
