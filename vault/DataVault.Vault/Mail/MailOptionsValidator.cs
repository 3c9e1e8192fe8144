using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Mail;

/// <summary>
/// Where the vault's messages go is decided once, at start: an SMTP server when <c>Mail:Smtp:Host</c>
/// is set, a pickup directory when <c>Mail:PickupDirectory</c> is, and in Development (and the Testing
/// environment) without either, <c>.eml</c> files under the data directory. Anywhere else the service
/// refuses to start: a vault that drops its invitations would answer "sent" for mail nobody receives.
/// </summary>
internal sealed class MailOptionsValidator(IServiceProvider services) : IValidateOptions<MailOptions>
{
    public ValidateOptionsResult Validate(string? name, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var smtp = options.Smtp;

        // Data annotations validation does not descend into Mail:Smtp by itself.
        var errors = new List<ValidationResult>();
        if (!Validator.TryValidateObject(smtp, new ValidationContext(smtp), errors, validateAllProperties: true))
        {
            return ValidateOptionsResult.Fail(errors.Select(e => $"Mail:Smtp: {e.ErrorMessage}"));
        }

        if (!string.IsNullOrWhiteSpace(smtp.Host))
        {
            if (string.IsNullOrWhiteSpace(smtp.FromAddress))
            {
                return ValidateOptionsResult.Fail("Mail:Smtp:FromAddress is required with Mail:Smtp:Host: the address the vault's messages come from, e.g. privacy@example.com.");
            }

            if (string.IsNullOrEmpty(smtp.UserName) != string.IsNullOrEmpty(smtp.Password))
            {
                return ValidateOptionsResult.Fail("Mail:Smtp:UserName and Mail:Smtp:Password are set together (SMTP authentication) or not at all.");
            }

            return ValidateOptionsResult.Success;
        }

        if (!string.IsNullOrWhiteSpace(options.PickupDirectory) || MayWriteToDataDirectory(services))
        {
            return ValidateOptionsResult.Success;
        }

        return ValidateOptionsResult.Fail(
            "No mail server is configured. The vault e-mails invitation links and notices to customers, so outside Development it needs "
            + "Mail:Smtp:Host, Mail:Smtp:Port (default 587), Mail:Smtp:Security (StartTls, SslOnConnect or None; default StartTls), "
            + "Mail:Smtp:FromAddress and, for SMTP authentication, Mail:Smtp:UserName and Mail:Smtp:Password (e.g. as environment "
            + "variables Mail__Smtp__Host=smtp.example.com). To hand messages to a local mail server as .eml files instead, set Mail:PickupDirectory.");
    }

    /// <summary>Development and the Testing environment may write messages under the data directory without being told to.</summary>
    public static bool MayWriteToDataDirectory(IServiceProvider services) =>
        services.GetService(typeof(IHostEnvironment)) is IHostEnvironment environment
        && (environment.IsDevelopment() || environment.IsEnvironment("Testing"));
}
