using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using MimeKit.Utils;

namespace DataVault.Vault.Mail;

/// <summary>
/// Where the <see cref="MailDelivery"/> hands a message: an SMTP server, or a pickup directory. One
/// delivery round may send several messages; <see cref="EndRoundAsync"/> closes what the round opened.
/// </summary>
internal interface IMailTransport
{
    /// <summary>A short description for the start-up line, without secrets (e.g. <c>SMTP smtp.example.com:587 (StartTls)</c>).</summary>
    string Description { get; }

    Task SendAsync(MimeMessage message, CancellationToken cancellationToken);

    Task EndRoundAsync(CancellationToken cancellationToken);
}

/// <summary>The MIME form of an <see cref="OutgoingMail"/>.</summary>
internal static class MailMessages
{
    public static MimeMessage Build(OutgoingMail mail, SmtpOptions sender, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(mail);
        ArgumentNullException.ThrowIfNull(sender);
        var from = sender.FromAddress ?? "datavault@localhost";
        var message = new MimeMessage
        {
            Subject = mail.Subject,
            Date = now,
            MessageId = MimeUtils.GenerateMessageId(MailboxAddress.Parse(from).Domain),
        };
        message.From.Add(new MailboxAddress(sender.FromName, from));
        message.To.Add(MailboxAddress.Parse(mail.To));

        // RFC 3834: a message sent by a program, not a person; auto-responders do not answer it.
        message.Headers.Add("Auto-Submitted", "auto-generated");
        message.Body = new BodyBuilder { TextBody = mail.TextBody, HtmlBody = mail.HtmlBody }.ToMessageBody();

        // RFC 3282: a Content-* header describes the body, so it goes on the body's entity.
        message.Body.Headers.Add(HeaderId.ContentLanguage, mail.Language);
        return message;
    }
}

/// <summary>Sends through an SMTP server with MailKit, one connection per delivery round.</summary>
internal sealed class SmtpMailTransport(SmtpOptions options) : IMailTransport, IDisposable
{
    private SmtpClient? _client;

    public string Description => $"SMTP {options.Host}:{options.Port} ({options.Security})";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        try
        {
            var client = await ConnectAsync(cancellationToken);
            await client.SendAsync(message, cancellationToken);
        }
        catch
        {
            // A connection that failed mid-conversation is not reused; the next message reconnects.
            Close();
            throw;
        }
    }

    public async Task EndRoundAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } client)
        {
            try
            {
                await client.DisconnectAsync(quit: true, cancellationToken);
            }
            catch (Exception exception) when (exception is IOException or SmtpProtocolException or OperationCanceledException)
            {
                // The messages of the round are delivered; a QUIT that fails changes nothing.
            }
        }

        Close();
    }

    public void Dispose() => Close();

    private async Task<SmtpClient> ConnectAsync(CancellationToken cancellationToken)
    {
        if (_client is { IsConnected: true } connected)
        {
            return connected;
        }

        Close();
        var client = new SmtpClient { Timeout = (int)options.Timeout.TotalMilliseconds };
        _client = client;
        var security = options.Security switch
        {
            SmtpSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
            SmtpSecurity.None => SecureSocketOptions.None,
            _ => SecureSocketOptions.StartTls,
        };
        await client.ConnectAsync(options.Host ?? throw new InvalidOperationException("No SMTP host is configured."), options.Port, security, cancellationToken);
        if (!string.IsNullOrEmpty(options.UserName))
        {
            await client.AuthenticateAsync(options.UserName, options.Password ?? string.Empty, cancellationToken);
        }

        return client;
    }

    private void Close()
    {
        _client?.Dispose();
        _client = null;
    }
}

/// <summary>
/// Writes each message as an <c>.eml</c> file (RFC 5322) into a directory: the Development fallback
/// when no SMTP server is configured, and the pickup directory of a local mail server when one is.
/// </summary>
internal sealed class PickupDirectoryMailTransport(string directory) : IMailTransport
{
    public string Directory { get; } = Path.GetFullPath(directory);

    public string Description => $".eml files in {Directory}";

    public async Task SendAsync(MimeMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        System.IO.Directory.CreateDirectory(Directory);

        // Written under a temporary name and renamed, so a mail server picking files up never reads half a message.
        var name = $"{message.Date.UtcDateTime:yyyyMMdd'T'HHmmssfff'Z'}-{Guid.NewGuid():N}";
        var partial = Path.Combine(Directory, name + ".tmp");
        await message.WriteToAsync(partial, cancellationToken);
        File.Move(partial, Path.Combine(Directory, name + ".eml"));
    }

    public Task EndRoundAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
