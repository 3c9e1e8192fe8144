using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// One headless chromium for every browser test class in the <see cref="SharedChromium"/>: starting
/// it costs about a second, a fresh context per test costs milliseconds. The browser is the system's
/// chromium (Debian's <c>chromium</c> package, which <c>scripts/test.sh</c> installs), never one that
/// Playwright downloads.
/// </summary>
public sealed class ChromiumFixture : IAsyncLifetime
{
    /// <summary>Debian's chromium; the test command installs it when it is missing.</summary>
    public const string ExecutablePath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser is not started.");

    public async Task InitializeAsync()
    {
        Assert.True(
            File.Exists(ExecutablePath),
            $"Browser tests need chromium at {ExecutablePath}: apt-get install chromium chromium-driver (scripts/test.sh does this).");

        // The driver must never fetch browsers of its own; the system's chromium is the one under test.
        Environment.SetEnvironmentVariable("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath,
            Headless = true,
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>The browser test classes: they share one <see cref="ChromiumFixture"/> and run one after another.</summary>
[CollectionDefinition(Name)]
public sealed class SharedChromium : ICollectionFixture<ChromiumFixture>
{
    public const string Name = "Browser";
}
