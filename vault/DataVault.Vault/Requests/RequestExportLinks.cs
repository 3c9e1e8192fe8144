using System.Globalization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Requests;

/// <summary>How opening an export link ended.</summary>
public enum ExportLinkOutcome
{
    /// <summary>The link worked, and is now used up.</summary>
    Ok,

    /// <summary>No such link.</summary>
    NotFound,

    /// <summary>The link was used already, expired, or its subject was erased: 410.</summary>
    Gone,
}

/// <summary>The result of opening an export link: the request and subject it was issued for, when known.</summary>
public sealed record ExportLinkRedemption(ExportLinkOutcome Outcome, string? RequestId = null, string? SubjectId = null);

/// <summary>
/// One-time links to download the export of a subject's data (GDPR Art. 15 and 20), for a subject with no portal
/// account: the officer fulfilling an access or portability request has the vault e-mail the link to the address on
/// record (never to one the requester gave, Art. 12(6)), at <c>/requests/download?token=…</c>. Only the hash of the
/// 256-bit token is stored; the link expires (<see cref="RequestsOptions.ExportLinkLifetime"/>) and works once.
/// </summary>
public sealed class RequestExportLinks
{
    /// <summary>The page of the link, on the public origin.</summary>
    public const string DownloadPath = "/requests/download";

    private const string EmailField = "email";

    private readonly VaultWriter writer;
    private readonly SubjectService subjects;
    private readonly MailOutbox outbox;
    private readonly MailOutboxSignal signal;
    private readonly PublicOrigin origin;
    private readonly RequestClock clock;
    private readonly IOptions<MailOptions> mailOptions;
    private readonly IOptions<RequestsOptions> options;
    private readonly TimeProvider time;

    internal RequestExportLinks(
        VaultWriter writer,
        SubjectService subjects,
        MailOutbox outbox,
        MailOutboxSignal signal,
        PublicOrigin origin,
        RequestClock clock,
        IOptions<MailOptions> mailOptions,
        IOptions<RequestsOptions> options,
        TimeProvider time)
    {
        this.writer = writer;
        this.subjects = subjects;
        this.outbox = outbox;
        this.signal = signal;
        this.origin = origin;
        this.clock = clock;
        this.mailOptions = mailOptions;
        this.options = options;
        this.time = time;
    }

    /// <summary>
    /// Mints a link for <paramref name="request"/>'s subject and queues the e-mail with it to the subject's address on
    /// record, in one write with the link's row and the history entries. Conflict when the subject has no address.
    /// </summary>
    internal async Task<FulfilmentResult> IssueAsync(RequestView request, Actor actor, CancellationToken cancellationToken)
    {
        if (request.Type is not (RequestTypes.Access or RequestTypes.Portability))
        {
            return FulfilmentResult.From(RequestResult.Conflicting($"An export answers an access or portability request; this one is for {request.Type}."));
        }

        var subjectId = request.SubjectId!;
        if (await subjects.ReadTextFieldAsync(subjectId, EmailField, cancellationToken) is not { Length: > 0 } address)
        {
            return FulfilmentResult.From(RequestResult.Conflicting("The subject has no e-mail address on record to send the link to."));
        }

        var now = time.GetUtcNow();
        var link = new PreparedExportLink(RecordId.New(time), LinkToken.New(), subjectId, now, now + options.Value.ExportLinkLifetime);
        var url = origin.Combine($"{DownloadPath}?token={Uri.EscapeDataString(link.Token.Value)}");
        var change = new RequestChangeContext(actor, now, clock.Today, time);
        var detail = $"{FulfilmentActions.ExportLink} link={link.Id} expires={StoredInstant.Format(link.ExpiresAt)}";
        var written = await writer.WriteAsync(
            new IssueExportLinkWrite(request.Id, link, detail, change, row => RequestExportLinkNotice.Compose(row, address, subjectId, url, link.ExpiresAt, mailOptions.Value.Smtp.FromName), outbox),
            cancellationToken);
        if (written.Outcome != RequestOutcome.Ok)
        {
            return new FulfilmentResult(written.Outcome, null, Conflict: written.Conflict);
        }

        signal.Notify();
        return new FulfilmentResult(RequestOutcome.Ok, null, new FulfilmentDone(FulfilmentActions.ExportLink, detail, ExportLink: new ExportLinkIssued(MailAddressMask.Mask(address), link.ExpiresAt)));
    }

    /// <summary>Uses up the link of <paramref name="token"/>: once, before it expires, while its subject is not erased.</summary>
    public async Task<ExportLinkRedemption> RedeemAsync(string? token, CancellationToken cancellationToken) =>
        LinkToken.Parse(token) is { } parsed
            ? await writer.WriteAsync(new RedeemExportLinkWrite(parsed.Hash(), time.GetUtcNow()), cancellationToken)
            : new ExportLinkRedemption(ExportLinkOutcome.NotFound);
}

/// <summary>A link about to be stored: its token leaves the vault only in the e-mail.</summary>
internal sealed record PreparedExportLink(string Id, LinkToken Token, string SubjectId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>Stores a link, records the action and queues its e-mail, only while the request is in progress.</summary>
internal sealed class IssueExportLinkWrite(
    string requestId, PreparedExportLink link, string detail, RequestChangeContext change, Func<RequestRecord, OutgoingMail> notice, MailOutbox outbox)
    : RequestWriteBase(outbox)
{
    protected override RequestWriteResult Execute(VaultWriteContext context)
    {
        if (RequestRows.Find(context, requestId) is not { } request)
        {
            return new RequestWriteResult(RequestOutcome.NotFound);
        }

        if (request.Status != RequestStatuses.InProgress)
        {
            return new RequestWriteResult(RequestOutcome.Conflict, $"Only a request in progress is acted on; this one is {request.Status}.");
        }

        if (SubjectRows.Check(context, link.SubjectId) != VaultOutcome.Ok)
        {
            return new RequestWriteResult(RequestOutcome.SubjectErased);
        }

        context.Execute(
            "INSERT INTO request_export_links (id, request_id, subject_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6);",
            link.Id, requestId, link.SubjectId, link.Token.Hash(), StoredInstant.Format(link.CreatedAt), StoredInstant.Format(link.ExpiresAt));
        change.Record(RequestEventKinds.Action, detail: detail);
        change.Notice = notice;
        request.UpdatedAt = change.Now;
        RequestRows.Update(context, request);
        return Finish(context, change, request);
    }
}

/// <summary>Marks a link used, in the writer's transaction, so two downloads at once never both get it.</summary>
internal sealed class RedeemExportLinkWrite(byte[] tokenHash, DateTimeOffset now) : VaultWrite<ExportLinkRedemption>
{
    protected override ExportLinkRedemption Execute(VaultWriteContext context)
    {
        string id, requestId, subjectId;
        DateTimeOffset expiresAt;
        bool used;
        using (var reader = context.Query("SELECT id, request_id, subject_id, expires_at, used_at IS NOT NULL FROM request_export_links WHERE token_hash = $1;", tokenHash))
        {
            if (!reader.Read())
            {
                return new ExportLinkRedemption(ExportLinkOutcome.NotFound);
            }

            (id, requestId, subjectId, expiresAt, used) = (reader.GetString(0), reader.GetString(1), reader.GetString(2), StoredInstant.Parse(reader.GetString(3)), reader.GetBoolean(4));
        }

        if (used || now >= expiresAt || SubjectRows.Check(context, subjectId) != VaultOutcome.Ok)
        {
            return new ExportLinkRedemption(ExportLinkOutcome.Gone, requestId, subjectId);
        }

        context.Execute("UPDATE request_export_links SET used_at = $1 WHERE id = $2;", StoredInstant.Format(now), id);
        return new ExportLinkRedemption(ExportLinkOutcome.Ok, requestId, subjectId);
    }

    protected override bool Keeps(ExportLinkRedemption result) => result.Outcome == ExportLinkOutcome.Ok;
}

/// <summary>The e-mail with the link, in the request's language (the portal's five, English otherwise).</summary>
internal static class RequestExportLinkNotice
{
    public const string Kind = "request-export-link";

    private static readonly Dictionary<string, (string Subject, string Body)> ByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] = ("Your data is ready to download", "As you asked, a copy of the personal data we hold about you is ready (GDPR Art. 15). Download it with this link, which works once, until {1} (UTC):\n\n{0}\n\nIf you made no request, ignore this message."),
        ["es"] = ("Tus datos están listos para descargar", "Como pediste, tienes lista una copia de los datos personales que tenemos sobre ti (art. 15 RGPD). Descárgala con este enlace, que funciona una sola vez, hasta el {1} (UTC):\n\n{0}\n\nSi no hiciste ninguna solicitud, ignora este mensaje."),
        ["ca"] = ("Les teves dades estan a punt per baixar", "Com vas demanar, tens a punt una còpia de les dades personals que tenim sobre tu (art. 15 RGPD). Baixa-la amb aquest enllaç, que funciona una sola vegada, fins al {1} (UTC):\n\n{0}\n\nSi no vas fer cap sol·licitud, ignora aquest missatge."),
        ["it"] = ("I tuoi dati sono pronti da scaricare", "Come hai chiesto, è pronta una copia dei dati personali che conserviamo su di te (art. 15 GDPR). Scaricala con questo link, che funziona una sola volta, fino al {1} (UTC):\n\n{0}\n\nSe non hai fatto nessuna richiesta, ignora questo messaggio."),
        ["et"] = ("Sinu andmed on allalaadimiseks valmis", "Nagu palusid, on valmis koopia isikuandmetest, mida sinu kohta hoiame (IKÜM art 15). Laadi see alla selle lingiga, mis töötab ühe korra, kuni {1} (UTC):\n\n{0}\n\nKui sa taotlust ei esitanud, jäta see kiri tähelepanuta."),
    };

    public static OutgoingMail Compose(RequestRecord request, string to, string subjectId, string url, DateTimeOffset expiresAt, string controller)
    {
        var (subject, body) = ByLanguage.TryGetValue(request.Language, out var text) ? text : ByLanguage["en"];
        return RequestNotices.ComposeOther(
            request, Kind, to, subjectId, subject, string.Format(CultureInfo.InvariantCulture, body, url, expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture)), controller);
    }
}
