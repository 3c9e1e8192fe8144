using System.Net.Mail;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>
/// Checks <see cref="ControllerOptions"/> at start. A privacy portal that cannot say who is responsible for
/// the data, or where to write, fails the first thing GDPR Art. 13(1)(a) asks of it, so outside Development
/// the service refuses to start without a name and a contact address, naming the settings to add.
/// </summary>
internal sealed class ControllerOptionsValidator : IValidateOptions<ControllerOptions>
{
    /// <summary>Largest logo served: a logo is a few kilobytes; anything bigger is a mistake (a photo, a wrong file).</summary>
    public const long MaxLogoBytes = 256 * 1024;

    /// <summary>The logo formats a browser shows in an <c>img</c>, by file extension, with their media types.</summary>
    public static readonly IReadOnlyDictionary<string, string> LogoTypes = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        [".png"] = "image/png",
        [".jpg"] = "image/jpeg",
        [".jpeg"] = "image/jpeg",
        [".webp"] = "image/webp",
        [".svg"] = "image/svg+xml",
    };

    public ValidateOptionsResult Validate(string? name, ControllerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (string.IsNullOrWhiteSpace(options.Name) || string.IsNullOrWhiteSpace(options.ContactEmail))
        {
            return ValidateOptionsResult.Fail(
                "The controller is not configured. The privacy portal names the organisation responsible for the customers' data and "
                + "where to write about it (GDPR Art. 13(1)(a)) on every page, so outside Development it needs Controller:Name and "
                + "Controller:ContactEmail, and may be given Controller:Address, Controller:DpoEmail, Controller:SupervisoryAuthorityName, "
                + "Controller:SupervisoryAuthorityUrl, Controller:PrivacyNoticeUrl, Controller:TimeZone and Controller:LogoPath "
                + "(e.g. as environment variables Controller__Name=\"Example Retail S.L.\" Controller__ContactEmail=privacy@example.com).");
        }

        var errors = new List<string>();
        if (options.Name.Length > 200 || options.Name.Any(char.IsControl))
        {
            errors.Add("Controller:Name must be one line of at most 200 characters.");
        }

        if (options.Address is { Length: > 500 } || options.Address?.Any(c => char.IsControl(c) && c is not '\n' and not '\r') == true)
        {
            errors.Add("Controller:Address must be at most 500 characters, line breaks allowed.");
        }

        CheckEmail(errors, "Controller:ContactEmail", options.ContactEmail);
        CheckEmail(errors, "Controller:DpoEmail", options.DpoEmail);
        CheckUrl(errors, "Controller:SupervisoryAuthorityUrl", options.SupervisoryAuthorityUrl);
        CheckUrl(errors, "Controller:PrivacyNoticeUrl", options.PrivacyNoticeUrl);
        if (options.SupervisoryAuthorityUrl is not null && string.IsNullOrWhiteSpace(options.SupervisoryAuthorityName))
        {
            errors.Add("Controller:SupervisoryAuthorityUrl needs Controller:SupervisoryAuthorityName: the link is shown under the authority's name.");
        }

        for (var i = 0; i < options.JointControllers.Count; i++)
        {
            CheckParty(errors, $"Controller:JointControllers:{i}", options.JointControllers[i]);
        }

        if (options.Representative is { } representative)
        {
            CheckParty(errors, "Controller:Representative", representative);
        }

        if (!TimeZoneInfo.TryFindSystemTimeZoneById(options.TimeZone, out _))
        {
            errors.Add($"Controller:TimeZone '{options.TimeZone}' is not a time zone this machine knows; use an IANA id such as Europe/Madrid, or UTC.");
        }

        if (options.LogoPath is { } logo)
        {
            CheckLogo(errors, logo);
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }

    private static void CheckParty(List<string> errors, string key, ControllerParty party)
    {
        if (string.IsNullOrWhiteSpace(party.Name) || party.Name.Length > 200 || party.Name.Any(char.IsControl)
            || string.IsNullOrWhiteSpace(party.Contact) || party.Contact.Length > 300 || party.Contact.Any(char.IsControl))
        {
            errors.Add($"{key} needs Name (one line, at most 200 characters) and Contact (one line, at most 300 characters).");
        }
    }

    private static void CheckEmail(List<string> errors, string key, string? value)
    {
        if (value is not null && (!MailAddress.TryCreate(value, out var address) || address.Address != value || !string.IsNullOrEmpty(address.DisplayName)))
        {
            errors.Add($"{key} must be a plain e-mail address such as privacy@example.com.");
        }
    }

    private static void CheckUrl(List<string> errors, string key, string? value)
    {
        if (value is not null && (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)))
        {
            errors.Add($"{key} must be an absolute http or https address.");
        }
    }

    private static void CheckLogo(List<string> errors, string path)
    {
        var file = new FileInfo(Path.GetFullPath(path));
        if (!LogoTypes.ContainsKey(file.Extension))
        {
            errors.Add("Controller:LogoPath must name a .png, .jpg, .jpeg, .webp or .svg file.");
        }
        else if (!file.Exists)
        {
            errors.Add($"Controller:LogoPath names {file.FullName}, which does not exist.");
        }
        else if (file.Length > MaxLogoBytes)
        {
            errors.Add($"Controller:LogoPath names a file of {file.Length} bytes; a logo may have at most {MaxLogoBytes}.");
        }
    }
}
