using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// One browser window (a fresh Playwright context: its own cookies) on a <see cref="DataVaultApplication"/>
/// served on a real port. <see cref="CheckAsync"/> runs axe-core on the page and saves a screenshot;
/// <see cref="GotoAsync"/> and <see cref="SubmitAsync"/> call it for every page they land on, so every
/// page a browser test sees is checked. Values a test types that must never reach a log or the audit
/// trail are handed to the app's monitor.
/// </summary>
internal sealed class PortalWindow : IAsyncDisposable
{
    private readonly DataVaultApplication _app;
    private readonly IBrowserContext _context;
    private readonly string _folder;
    private readonly bool _javaScript;
    private IPage? _checker;
    private int _step;

    private PortalWindow(DataVaultApplication app, IBrowserContext context, IPage page, string folder, bool javaScript)
    {
        _app = app;
        _context = context;
        Page = page;
        _folder = folder;
        _javaScript = javaScript;
    }

    public IPage Page { get; }

    public IBrowserContext Context => _context;

    /// <summary>
    /// Opens a window on <paramref name="app"/>, which must have been started with
    /// <see cref="DataVaultApplication.StartOnLoopback"/>. <paramref name="javaScript"/> false is a
    /// browser with script turned off: the portal ships none, so every core action must work so.
    /// </summary>
    /// <param name="browser">The shared chromium.</param>
    /// <param name="app">The host, started on loopback.</param>
    /// <param name="testClass">The test class, for the screenshots' folder.</param>
    /// <param name="test">The test, for the screenshots' folder.</param>
    /// <param name="javaScript">False for a browser with script off.</param>
    /// <param name="acceptLanguage">The browser's Accept-Language, or null for none.</param>
    /// <param name="width">The viewport's width in CSS pixels: 390 is a phone (<see cref="AssertFitsWidthAsync"/>).</param>
    public static async Task<PortalWindow> OpenAsync(
        IBrowser browser, DataVaultApplication app, string testClass, string test, bool javaScript = true, string? acceptLanguage = "en", int width = 1024)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(app);
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = app.ClientOptions.BaseAddress.ToString(),
            JavaScriptEnabled = javaScript,

            // Test contexts only: axe-core is injected as a script, which the portal's CSP (no script at
            // all) rightly blocks. The CSP itself is checked on the wire by SecurityHeadersTests, and the
            // script-less window (javaScript: false) keeps the policy in force.
            BypassCSP = javaScript,
            AcceptDownloads = true,
            ExtraHTTPHeaders = acceptLanguage is null ? null : new Dictionary<string, string> { ["Accept-Language"] = acceptLanguage },
            ViewportSize = new ViewportSize { Width = width, Height = 768 },
        });
        context.SetDefaultTimeout(15_000);
        var page = await context.NewPageAsync();
        return new PortalWindow(app, context, page, Screenshots.FolderFor(testClass, test), javaScript);
    }

    /// <summary>Goes to <paramref name="path"/> and checks the page it lands on; returns the main response.</summary>
    public async Task<IResponse> GotoAsync(string path, string? step = null)
    {
        var response = await Page.GotoAsync(path) ?? throw new InvalidOperationException($"No response for {path}.");
        await CheckAsync(step ?? path);
        return response;
    }

    /// <summary>
    /// Clicks <paramref name="button"/> (a form's submit button or a link), waits until the page it
    /// leads to is loaded, and checks it; returns that page's response (after any redirects).
    /// </summary>
    public async Task<IResponse?> SubmitAsync(ILocator button, string step)
    {
        ArgumentNullException.ThrowIfNull(button);
        var committed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IResponse? response = null;
        void OnResponse(object? sender, IResponse r)
        {
            if (r.Request.IsNavigationRequest && r.Frame == Page.MainFrame)
            {
                response = r;
            }
        }

        void OnNavigated(object? sender, IFrame frame)
        {
            if (frame == Page.MainFrame)
            {
                committed.TrySetResult();
            }
        }

        // The new document's load event, listened for before the click: asking for the load state after
        // the navigation event instead races the client's own bookkeeping and can miss a load that
        // happens in between (seen once as a 15 s timeout with the page already idle).
        var loaded = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLoad(object? sender, IPage page) => loaded.TrySetResult();

        Page.Response += OnResponse;
        Page.FrameNavigated += OnNavigated;
        Page.Load += OnLoad;
        try
        {
            await button.ClickAsync();

            // A new document has replaced the old one (even when a form posts back to its own URL), and has loaded.
            await committed.Task.WaitAsync(TimeSpan.FromSeconds(15));
            await loaded.Task.WaitAsync(TimeSpan.FromSeconds(15));
        }
        finally
        {
            Page.Response -= OnResponse;
            Page.FrameNavigated -= OnNavigated;
            Page.Load -= OnLoad;
        }

        await CheckAsync(step);
        return response;
    }

    /// <summary>
    /// The main navigation, as a person reaches it: on a narrow screen the menu (a details element) starts
    /// closed, so its toggle is pressed first, which works without script.
    /// </summary>
    public async Task<ILocator> MenuAsync()
    {
        var toggle = Page.Locator("details.menu > summary");
        if (await toggle.IsVisibleAsync() && await Page.Locator("details.menu[open]").CountAsync() == 0)
        {
            await toggle.ClickAsync();
        }

        return Page.Locator("details.menu").GetByRole(AriaRole.Navigation);
    }

    /// <summary>The page is no wider than the viewport: nothing on it makes the reader scroll sideways (WCAG 2.1 SC 1.4.10 Reflow).</summary>
    public async Task AssertFitsWidthAsync(string step)
    {
        var widths = await Page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
        var (content, viewport) = (widths[0], widths[1]);
        if (content > viewport)
        {
            // Name the innermost elements that reach past the right edge, so a failure says what to mend.
            var culprits = await Page.EvaluateAsync<string[]>(
                """
                () => [...document.querySelectorAll('body *')]
                    .filter(e => e.getBoundingClientRect().right > window.innerWidth + 0.5)
                    .filter(e => ![...e.children].some(c => c.getBoundingClientRect().right > window.innerWidth + 0.5))
                    .slice(0, 5)
                    .map(e => `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().replace(/\s+/g, '.') : ''} "${(e.textContent || '').trim().slice(0, 60)}"`)
                """);
            Assert.Fail($"{step}: the page is {content} px wide in a {viewport} px viewport; past the edge: {string.Join("; ", culprits)}.");
        }
    }

    /// <summary>
    /// The current page on a 390×844 phone and on a 1280×800 screen: each fits its width and passes axe; the
    /// window keeps the size it had.
    /// </summary>
    public async Task CheckOnPhoneAndDesktopAsync(string step)
    {
        var before = Page.ViewportSize;
        foreach (var (width, height) in new[] { (390, 844), (1280, 800) })
        {
            await Page.SetViewportSizeAsync(width, height);
            await AssertFitsWidthAsync($"{step}-{width}px");
            await CheckAsync($"{step}-{width}px");
        }

        if (before is not null)
        {
            await Page.SetViewportSizeAsync(before.Width, before.Height);
        }
    }

    /// <summary>Switches the portal to <paramref name="language"/> with the language switcher, as a person would; English needs no switch.</summary>
    public async Task SwitchLanguageAsync(string language)
    {
        if (language == "en")
        {
            return;
        }

        var culture = new System.Globalization.CultureInfo(language);
        await SubmitAsync(Page.GetByRole(AriaRole.Button, new() { Name = culture.TextInfo.ToTitleCase(culture.NativeName), Exact = true }), $"switched-{language}");
        await Assertions.Expect(Page.Locator("html")).ToHaveAttributeAsync("lang", language);
    }

    /// <summary>Types a value that must never appear in a log line or an audit entry.</summary>
    public Task FillSecretAsync(ILocator input, string value)
    {
        ArgumentNullException.ThrowIfNull(input);
        _app.Monitor.Remember(value);
        return input.FillAsync(value);
    }

    /// <summary>axe-core (WCAG 2.x A and AA) on the current page, then a full-page screenshot.</summary>
    public async Task CheckAsync(string step)
    {
        var language = await Page.Locator("html").GetAttributeAsync("lang") ?? "none";
        var name = $"{step} ({language})";
        if (_javaScript)
        {
            await Accessibility.AssertAccessibleAsync(Page, name);
        }
        else
        {
            // Script is off in this window, so axe runs on an exact copy of the served page in a
            // script-enabled page of the same origin (the portal's pages are server-rendered: no script
            // changes them after loading).
            _checker ??= await CheckerPageAsync();
            await _checker.SetContentAsync(await Page.ContentAsync());
            await Accessibility.AssertAccessibleAsync(_checker, $"{name}, script off");
        }

        await Screenshots.SaveAsync(Page, _folder, ++_step, step, language);
    }

    private async Task<IPage> CheckerPageAsync()
    {
        var browser = _context.Browser ?? throw new InvalidOperationException("The context has no browser.");
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = _app.ClientOptions.BaseAddress.ToString(), BypassCSP = true });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/assets/portal.css");
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        if (_checker is not null)
        {
            await _checker.Context.DisposeAsync();
        }

        await _context.DisposeAsync();
    }
}
