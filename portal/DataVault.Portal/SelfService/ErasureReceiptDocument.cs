using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using DataVault.Portal.Localization;
using DataVault.Vault.Mail;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.SelfService;

/// <summary>A field as the erasure page names it: its title in the request's language and, when held, until when.</summary>
internal sealed record ErasureLine(string Title, DateTimeOffset? HeldUntil);

/// <summary>What an erasure receipt says: the reference, when, what was erased and what is held until when.</summary>
internal sealed record ErasureReceiptView(string ReceiptId, DateTimeOffset ErasedAt, IReadOnlyList<ErasureLine> Erased, IReadOnlyList<ErasureLine> Held);

/// <summary>
/// The erasure receipt as a document the customer keeps: a self-contained web page (offered for download
/// on the receipt page, and the HTML part of the e-mail) and the same words as plain text (the e-mail's text
/// part), in the request's language, times in the controller's time zone and in UTC. It names the fields by
/// their titles, never a value (none is left to name).
/// </summary>
internal sealed class ErasureReceiptDocument(ErasureReceiptView receipt, ControllerProfile controller, IStringLocalizer<ErasureText> E)
{
    /// <summary>The <see cref="OutgoingMail.Kind"/> of the message that carries the receipt, as the audit trail shows it.</summary>
    public const string MailKind = "erasure-receipt";

    public string FileName => $"erasure-receipt-{receipt.ReceiptId}.html";

    public string Title => E["Receipt of the erasure of your data"];

    private string When => $"{controller.DateTime(receipt.ErasedAt)} ({controller.TimeZoneName}); "
        + receipt.ErasedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>The receipt as a page that opens on its own: its own styles, nothing to fetch.</summary>
    public string Html()
    {
        var html = HtmlEncoder.Default;
        var page = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"<!DOCTYPE html><html lang=\"{PortalCultures.Current}\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append(CultureInfo.InvariantCulture, $"<title>{html.Encode(Title)} · {html.Encode(controller.Name)}</title>")
            .Append("<style>body{font-family:system-ui,sans-serif;line-height:1.5;color:#1b1f23;max-width:44rem;margin:2rem auto;padding:0 1rem}")
            .Append("dl{display:grid;grid-template-columns:minmax(8rem,max-content) 1fr;gap:.25rem 1rem}dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}</style>")
            .Append("</head><body>")
            .Append(CultureInfo.InvariantCulture, $"<h1>{html.Encode(Title)}</h1>")
            .Append(CultureInfo.InvariantCulture, $"<p>{html.Encode(Introduction)}</p>")
            .Append("<dl>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{html.Encode(E["Receipt reference"])}</dt><dd><code>{html.Encode(receipt.ReceiptId)}</code></dd>")
            .Append(CultureInfo.InvariantCulture, $"<dt>{html.Encode(E["Erased on"])}</dt><dd>{html.Encode(When)}</dd>")
            .Append("</dl>")
            .Append(CultureInfo.InvariantCulture, $"<h2>{html.Encode(E["Erased"])}</h2><ul>");
        foreach (var line in ErasedLines)
        {
            page.Append(CultureInfo.InvariantCulture, $"<li>{html.Encode(line)}</li>");
        }

        page.Append(CultureInfo.InvariantCulture, $"</ul><h2>{html.Encode(E["Kept under a legal obligation"])}</h2>");
        if (receipt.Held.Count == 0)
        {
            page.Append(CultureInfo.InvariantCulture, $"<p>{html.Encode(E["Nothing: all your data has been erased."])}</p>");
        }
        else
        {
            page.Append("<ul>");
            foreach (var line in HeldLines)
            {
                page.Append(CultureInfo.InvariantCulture, $"<li>{html.Encode(line)}</li>");
            }

            page.Append("</ul>");
        }

        return page
            .Append(CultureInfo.InvariantCulture, $"<p>{html.Encode(Contact)}</p>")
            .Append("</body></html>")
            .ToString();
    }

    /// <summary>The same receipt as plain text.</summary>
    public string Text()
    {
        var text = new StringBuilder()
            .Append(Title).Append("\r\n\r\n")
            .Append(Introduction).Append("\r\n\r\n")
            .Append(E["Receipt reference"]).Append(": ").Append(receipt.ReceiptId).Append("\r\n")
            .Append(E["Erased on"]).Append(": ").Append(When).Append("\r\n\r\n")
            .Append(E["Erased"]).Append(":\r\n");
        foreach (var line in ErasedLines)
        {
            text.Append("- ").Append(line).Append("\r\n");
        }

        text.Append("\r\n").Append(E["Kept under a legal obligation"]).Append(":\r\n");
        if (receipt.Held.Count == 0)
        {
            text.Append(E["Nothing: all your data has been erased."]).Append("\r\n");
        }

        foreach (var line in HeldLines)
        {
            text.Append("- ").Append(line).Append("\r\n");
        }

        return text.Append("\r\n").Append(Contact).Append("\r\n\r\n").Append(controller.Name).ToString();
    }

    /// <summary>The receipt as an e-mail to <paramref name="to"/>, the address on record read before the erasure.</summary>
    /// <remarks>
    /// It concerns no subject any more (the subject is erased, and an erasure deletes the mail queued for its
    /// subject): the message is the customer's own copy, kept in the outbox only until it is delivered.
    /// </remarks>
    public OutgoingMail Mail(string to) => new(to, $"{Title} · {controller.Name}", Text(), Html(), PortalCultures.Current, MailKind, SubjectId: null);

    private string Introduction => E["{0} has erased your personal data at your request (GDPR Article 17), and deleted your portal account.", controller.Name];

    private string Contact => E["If you contact us about it, at {0}, quote the receipt reference.", controller.ContactEmail];

    private IEnumerable<string> ErasedLines =>
        receipt.Erased.Select(line => line.Title).Concat([E["Your consent history, objections and restrictions"], E["Your portal account"]]);

    private IEnumerable<string> HeldLines =>
        receipt.Held.Select(line => E["{0}: kept until {1}, then destroyed", line.Title, controller.Date(line.HeldUntil!.Value)].Value);
}
