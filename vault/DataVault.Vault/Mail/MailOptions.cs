using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Mail;

/// <summary>How the connection to the SMTP server is secured (MailKit's <c>SecureSocketOptions</c>).</summary>
public enum SmtpSecurity
{
    /// <summary>STARTTLS is required (RFC 3207); the usual choice for the submission port 587.</summary>
    StartTls,

    /// <summary>TLS from the first byte (RFC 8314 implicit TLS); the usual choice for port 465.</summary>
    SslOnConnect,

    /// <summary>No TLS at all: only for a relay on the same machine or a test server on loopback.</summary>
    None,
}

/// <summary>The SMTP server the vault hands its messages to, bound from <c>Mail:Smtp</c>.</summary>
public sealed class SmtpOptions
{
    /// <summary>Host name of the SMTP server. Default: none, meaning no SMTP server is configured.</summary>
    public string? Host { get; set; }

    /// <summary>Port of the SMTP server. Default: 587 (message submission, RFC 6409).</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>How the connection is secured. Default: <see cref="SmtpSecurity.StartTls"/>.</summary>
    public SmtpSecurity Security { get; set; } = SmtpSecurity.StartTls;

    /// <summary>User name for SMTP authentication. Default: none (no authentication).</summary>
    public string? UserName { get; set; }

    /// <summary>Password for SMTP authentication. Default: none.</summary>
    public string? Password { get; set; }

    /// <summary>Address the vault's messages come from, e.g. <c>privacy@example.com</c>. Required with a <see cref="Host"/>.</summary>
    [EmailAddress]
    public string? FromAddress { get; set; }

    /// <summary>Display name of the sender. Default: <c>DataVault</c>.</summary>
    [Required]
    [StringLength(100)]
    public string FromName { get; set; } = "DataVault";

    /// <summary>How long one connect, command or transfer may take before the attempt is given up and retried later. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    public override string ToString() => $"SmtpOptions {{ Host = {Host}, Port = {Port}, Security = {Security}, UserName = {UserName}, Password = ***, FromAddress = {FromAddress} }}";
}

/// <summary>
/// Settings of the vault's outbound e-mail, bound from the <c>Mail</c> section and validated at start
/// (<see cref="MailOptionsValidator"/>): where messages go and how often a failed delivery is retried.
/// </summary>
public sealed class MailOptions
{
    public const string SectionName = "Mail";

    /// <summary>The SMTP server. With no <see cref="SmtpOptions.Host"/>, see <see cref="PickupDirectory"/>.</summary>
    public SmtpOptions Smtp { get; set; } = new();

    /// <summary>
    /// Directory where messages are written as <c>.eml</c> files instead of being sent, for a mail
    /// server that picks them up from there. Default: none; in Development (and the Testing environment)
    /// without an SMTP server, <c>{Vault:DataDirectory}/mail</c>. Elsewhere the service does not start
    /// with neither this nor <c>Mail:Smtp:Host</c> set: an invitation that silently goes nowhere would
    /// look sent.
    /// </summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Delivery attempts per message before it is given up (and deleted, with an audit entry). Default: 8.</summary>
    [Range(1, 50)]
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait before the first retry; each further retry waits twice as long, at most an hour. Default: 1 minute.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How often the outbox is looked at for messages queued by another process or due for a retry. Default: 30 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "01:00:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(30);
}
