using System.Text.RegularExpressions;
using MimeKit;

namespace DataVault.Testing;

/// <summary>
/// Messages the vault delivered, read back the way a recipient would: from the <c>.eml</c> files the
/// test host writes under its data directory (the Testing environment's mail fallback), or from an
/// <see cref="SmtpTestServer"/>; and the invitation link inside one.
/// </summary>
internal static partial class DeliveredMail
{
    /// <summary>The first <c>.eml</c> file under the app's <c>mail</c> directory sent to <paramref name="address"/>; waits for the background delivery, and fails the test if none comes.</summary>
    public static Task<MimeMessage> WaitForEmlToAsync(DataVaultApplication app, string address, TimeSpan? timeout = null) =>
        WaitForEmlToAsync(app, address, _ => true, timeout);

    /// <summary>The first <c>.eml</c> file sent to <paramref name="address"/> whose subject line contains <paramref name="subject"/>.</summary>
    public static Task<MimeMessage> WaitForEmlToAsync(DataVaultApplication app, string address, string subject, TimeSpan? timeout = null) =>
        WaitForEmlToAsync(app, address, m => m.Subject?.Contains(subject, StringComparison.Ordinal) == true, timeout);

    /// <summary>Every <c>.eml</c> file sent to <paramref name="address"/> so far, in the order written.</summary>
    public static async Task<List<MimeMessage>> EmlsToAsync(DataVaultApplication app, string address)
    {
        var directory = Path.Combine(app.DataDirectory, "mail");
        var messages = new List<MimeMessage>();
        foreach (var file in (Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml") : []).Order(StringComparer.Ordinal))
        {
            var message = await MimeMessage.LoadAsync(file);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)))
            {
                messages.Add(message);
            }
        }

        return messages;
    }

    /// <summary>The password reset link in a "forgot password" message (its plain-text body), as an absolute URI.</summary>
    public static Uri PasswordResetLink(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = ResetLink().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "The message carries no password reset link.");
        return new Uri(match.Value);
    }

    private static async Task<MimeMessage> WaitForEmlToAsync(DataVaultApplication app, string address, Func<MimeMessage, bool> match, TimeSpan? timeout)
    {
        var directory = Path.Combine(app.DataDirectory, "mail");
        var deadline = DateTime.UtcNow + (timeout ?? SmtpTestServer.DefaultWait);
        while (true)
        {
            var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml") : [];
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)) && match(message))
                {
                    return message;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No such message to the address was written under {directory}.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    /// <summary>The activation link in an invitation message (its plain-text body), as an absolute URI.</summary>
    public static Uri InvitationLink(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var match = Link().Match(message.TextBody ?? string.Empty);
        Assert.True(match.Success, "The message carries no activation link.");
        return new Uri(match.Value);
    }

    [GeneratedRegex(@"https?://\S+/account/activate\?token=[A-Za-z0-9_-]{43}", RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    [GeneratedRegex(@"https?://\S+/account/reset-password\?token=[A-Za-z0-9_-]{43}", RegexOptions.CultureInvariant)]
    private static partial Regex ResetLink();
}
