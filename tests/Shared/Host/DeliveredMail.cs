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
    /// <summary>
    /// The first <c>.eml</c> file under the app's <c>mail</c> directory sent to <paramref name="address"/> (and, when
    /// given, of the <paramref name="kind"/> the message says it is about); waits for the background delivery,
    /// and fails the test if none comes.
    /// </summary>
    public static async Task<MimeMessage> WaitForEmlToAsync(DataVaultApplication app, string address, TimeSpan? timeout = null, Func<MimeMessage, bool>? kind = null)
    {
        var directory = Path.Combine(app.DataDirectory, "mail");
        var deadline = DateTime.UtcNow + (timeout ?? SmtpTestServer.DefaultWait);
        while (true)
        {
            var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.eml") : [];
            foreach (var file in files.Order(StringComparer.Ordinal))
            {
                var message = await MimeMessage.LoadAsync(file);
                if (message.To.Mailboxes.Any(m => string.Equals(m.Address, address, StringComparison.OrdinalIgnoreCase)) && (kind is null || kind(message)))
                {
                    return message;
                }
            }

            Assert.True(DateTime.UtcNow < deadline, $"No message to the invited address was written under {directory}.");
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
}
