using System.Net;
using Microsoft.Extensions.Options;

namespace DataVault.Portal.Tests;

/// <summary>
/// Who the controller is (<c>Controller:*</c>): required outside Development, checked at start, a fictional
/// demo in Development, and named with its logo on every page without loading anything from elsewhere.
/// </summary>
public sealed class ControllerOptionsTests
{
    [Fact]
    public async Task Start_OutsideDevelopmentWithoutController_RefusesNamingTheSettings()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Controller:Name"] = "", ["Controller:ContactEmail"] = "" });

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains("The controller is not configured", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Controller:Name", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Controller:ContactEmail", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Controller:TimeZone", "Mars/Olympus_Mons", "Controller:TimeZone 'Mars/Olympus_Mons' is not a time zone")]
    [InlineData("Controller:ContactEmail", "Privacy <privacy@example.com>", "Controller:ContactEmail must be a plain e-mail address")]
    [InlineData("Controller:DpoEmail", "not an address", "Controller:DpoEmail must be a plain e-mail address")]
    [InlineData("Controller:PrivacyNoticeUrl", "javascript:alert(1)", "Controller:PrivacyNoticeUrl must be an absolute http or https address")]
    [InlineData("Controller:SupervisoryAuthorityUrl", "https://authority.example/", "Controller:SupervisoryAuthorityUrl needs Controller:SupervisoryAuthorityName")]
    [InlineData("Controller:LogoPath", "/nonexistent/logo.png", "Controller:LogoPath names /nonexistent/logo.png, which does not exist")]
    [InlineData("Controller:LogoPath", "/etc/hostname", "Controller:LogoPath must name a .png, .jpg, .jpeg, .webp or .svg file")]
    [InlineData("Controller:JointControllers:0:Name", "Loyalty Club", "Controller:JointControllers:0 needs Name (one line, at most 200 characters) and Contact")]
    [InlineData("Controller:Representative:Contact", "rep@eurep.example", "Controller:Representative needs Name (one line, at most 200 characters) and Contact")]
    public async Task Start_InvalidSetting_RefusesSayingWhatIsWrong(string key, string value, string message)
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pages_InDevelopmentWithoutController_ShowTheFictionalDemoController()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Development", ["Controller:Name"] = "" });
        using var browser = new PortalBrowser(app);

        var (status, page) = await browser.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(ControllerOptions.Demo.Name!, page, StringComparison.Ordinal);
        Assert.Contains("fictional", ControllerOptions.Demo.Name, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Logo_Configured_IsServedByThePortalItself_AndShownBesideTheName()
    {
        using var directory = new TempDirectory();
        var logo = Path.Combine(directory.Path, "logo.svg");
        await File.WriteAllTextAsync(logo, """<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="#0b5cad"/></svg>""");
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Controller:LogoPath"] = logo });
        using var browser = new PortalBrowser(app);

        var (_, page) = await browser.GetAsync("/account/login");
        using var served = await browser.Http.GetAsync("/assets/logo");

        Assert.Contains("<img class=\"brand-logo\" src=\"/assets/logo\" alt=\"\">", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("image/svg+xml", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(await File.ReadAllBytesAsync(logo), await served.Content.ReadAsByteArrayAsync());
        Assert.Equal(PortalResponseHeaders.ContentSecurityPolicy, served.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Logo_NotConfigured_IsNotFound()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var served = await browser.Http.GetAsync("/assets/logo");
        var (_, page) = await browser.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.NotFound, served.StatusCode);
        Assert.DoesNotContain("brand-logo", page, StringComparison.Ordinal);
    }
}
