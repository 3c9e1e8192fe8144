using Microsoft.Extensions.Options;

namespace DataVault.Portal.Tests;

/// <summary>
/// Who the controller is (<c>Controller:*</c>): required outside Development, checked at start, a fictional
/// demo in Development.
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
    public async Task Start_InvalidSetting_RefusesSayingWhatIsWrong(string key, string value, string message)
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => app.Services);

        Assert.Contains(message, refused.Message, StringComparison.Ordinal);
    }
}
