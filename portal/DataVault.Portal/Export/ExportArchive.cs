using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DataVault.Vault.Exports;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;

namespace DataVault.Portal.Export;

/// <summary>One field held on the subject: its latest value, with its title in the request's language.</summary>
internal sealed record ExportField(string Name, string Title, JsonElement Value, string Category, int Version, DateTimeOffset StoredAt);

/// <summary>One consent event of the subject's history.</summary>
internal sealed record ExportConsent(
    string Id,
    string Purpose,
    string PurposeTitle,
    string PurposeVersion,
    string State,
    DateTimeOffset OccurredAt,
    DateTimeOffset RecordedAt,
    DateTimeOffset? ExpiresAt,
    string Method,
    string RecordedBy,
    string NoticeLanguage,
    string? Evidence);

/// <summary>One line of the subject's access log: who (an organisation's display name, never an account id), what, why, which fields.</summary>
internal sealed record ExportAccess(long Sequence, DateTimeOffset OccurredAt, string ActorType, string Who, string Action, string Outcome, string? Purpose, IReadOnlyList<string> Fields);

/// <summary>A purpose of the catalogue, as the subject is told about it.</summary>
internal sealed record ExportPurpose(string Id, string Title, string Description, string LawfulBasis, string Retention, IReadOnlyList<string> Fields, string Version);

/// <summary>An organisation (registered client) allowed to use a purpose: a recipient in the sense of GDPR Art. 15(1)(c).</summary>
internal sealed record ExportRecipient(string Purpose, string ClientId, string Organisation);

/// <summary>
/// Who is responsible for the data exported (GDPR Art. 15(1) with Art. 13(1)(a)-(b)): the configured controller,
/// its contacts and the supervisory authority to complain to, so that the file says whose data it is on its own.
/// </summary>
internal sealed record ExportController(
    string Name,
    IReadOnlyList<string> Address,
    string ContactEmail,
    string? DpoEmail,
    string? SupervisoryAuthorityName,
    string? SupervisoryAuthorityUrl,
    string? PrivacyNoticeUrl);

/// <summary>Everything an export holds except the access log, which is streamed from the audit trail while writing.</summary>
internal sealed record ExportContent(
    ExportController Controller,
    string SubjectId,
    DateTimeOffset ExportedAt,
    string Language,
    IReadOnlyList<ExportField> Fields,
    IReadOnlyList<ExportConsent> Consents,
    IReadOnlyList<ExportPurpose> Purposes,
    IReadOnlyList<ExportRecipient> Recipients,
    Func<CancellationToken, IAsyncEnumerable<ExportAccess>> AccessLog);

/// <summary>
/// Writes the export (GDPR Art. 15 and 20) as a ZIP straight into the response body: <c>data.json</c>,
/// one CSV per part, and <c>manifest.json</c> last, naming each file's length and SHA-256. Nothing is
/// built in memory first: each entry is compressed as it is written, hashed on the way
/// (<see cref="HashingStream"/>), and the access log is read from the audit trail page by page.
/// </summary>
/// <remarks>
/// ASP.NET Core refuses synchronous writes to the response, and rightly so: a blocking write holds a
/// thread for as long as the client reads slowly. The ZIP is written with the asynchronous API of .NET 10
/// (<see cref="ZipArchive.CreateAsync"/>, <see cref="ZipArchiveEntry.OpenAsync"/>), but closing an entry
/// still writes its last compressed block synchronously; <see cref="ChunkedResponseStream"/> takes those
/// bytes into a small buffer and sends them asynchronously after each entry. Synchronous IO is therefore
/// never switched on, not even for this response. Create mode on the non-seekable response body works:
/// entries are written with data descriptors instead of seeking back to their headers.
/// </remarks>
internal sealed class ExportArchiveResult(ExportContent content) : IActionResult
{
    /// <summary>Version of the layout below; raised on any incompatible change of names or shapes.</summary>
    public const int FormatVersion = 1;

    // Spreadsheet programs read a CSV as UTF-8 only when it starts with a byte order mark.
    private static readonly Encoding Utf8WithBom = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true);

    private static readonly JsonWriterOptions JsonOptions = new() { Indented = true };

    public string FileName => $"datavault-export-{content.ExportedAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}.zip";

    public async Task ExecuteResultAsync(ActionContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var response = context.HttpContext.Response;
        var cancellationToken = context.HttpContext.RequestAborted;
        context.HttpContext.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        response.ContentType = "application/zip";
        response.Headers.ContentDisposition = $"attachment; filename=\"{FileName}\"";
        response.Headers.CacheControl = "no-store";

        var manifest = new List<(string Name, long Length, string Sha256)>();
        await using var body = new ChunkedResponseStream(response.Body);
        await using (var zip = await ZipArchive.CreateAsync(body, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken))
        {
            await AddAsync(zip, body, "data.json", WriteDataJsonAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "fields.csv", WriteFieldsCsvAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "consents.csv", WriteConsentsCsvAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "access-log.csv", WriteAccessLogCsvAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "purposes.csv", WritePurposesCsvAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "recipients.csv", WriteRecipientsCsvAsync, manifest, cancellationToken);
            await AddAsync(zip, body, "manifest.json", (stream, ct) => WriteManifestAsync(stream, manifest, ct), manifest: null, cancellationToken);
        }

        // The central directory, written when the archive closes.
        await body.FlushAsync(cancellationToken);
    }

    private async Task AddAsync(
        ZipArchive zip,
        ChunkedResponseStream body,
        string name,
        Func<Stream, CancellationToken, Task> write,
        List<(string Name, long Length, string Sha256)>? manifest,
        CancellationToken cancellationToken)
    {
        var entry = zip.CreateEntry(name, CompressionLevel.Optimal);
        entry.LastWriteTime = content.ExportedAt;
        await using (var entryStream = await entry.OpenAsync(cancellationToken))
        await using (var hashing = new HashingStream(entryStream))
        {
            await write(hashing, cancellationToken);
            manifest?.Add((name, hashing.BytesWritten, hashing.FinishHash()));
        }

        // The entry's last compressed block and data descriptor, written synchronously when it closed.
        await body.FlushAsync(cancellationToken);
    }

    private async Task WriteDataJsonAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteString("exportedAt", content.ExportedAt);
        json.WriteString("language", content.Language);
        json.WriteString("subjectId", content.SubjectId);

        var controller = content.Controller;
        json.WriteStartObject("controller");
        json.WriteString("name", controller.Name);
        WriteStrings(json, "address", controller.Address);
        json.WriteString("contactEmail", controller.ContactEmail);
        json.WriteString("dpoEmail", controller.DpoEmail);
        json.WriteStartObject("supervisoryAuthority");
        json.WriteString("name", controller.SupervisoryAuthorityName);
        json.WriteString("url", controller.SupervisoryAuthorityUrl);
        json.WriteEndObject();
        json.WriteString("privacyNoticeUrl", controller.PrivacyNoticeUrl);
        json.WriteEndObject();

        json.WriteStartArray("fields");
        foreach (var field in content.Fields)
        {
            json.WriteStartObject();
            json.WriteString("name", field.Name);
            json.WriteString("title", field.Title);
            json.WritePropertyName("value");
            field.Value.WriteTo(json);
            json.WriteString("category", field.Category);
            json.WriteNumber("version", field.Version);
            json.WriteString("storedAt", field.StoredAt);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("consents");
        foreach (var consent in content.Consents)
        {
            json.WriteStartObject();
            json.WriteString("id", consent.Id);
            json.WriteString("purpose", consent.Purpose);
            json.WriteString("purposeTitle", consent.PurposeTitle);
            json.WriteString("purposeVersion", consent.PurposeVersion);
            json.WriteString("state", consent.State);
            json.WriteString("occurredAt", consent.OccurredAt);
            json.WriteString("recordedAt", consent.RecordedAt);
            WriteNullable(json, "expiresAt", consent.ExpiresAt);
            json.WriteString("method", consent.Method);
            json.WriteString("recordedBy", consent.RecordedBy);
            json.WriteString("noticeLanguage", consent.NoticeLanguage);
            json.WriteString("evidence", consent.Evidence);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("accessLog");
        await foreach (var access in content.AccessLog(cancellationToken))
        {
            json.WriteStartObject();
            json.WriteNumber("sequence", access.Sequence);
            json.WriteString("occurredAt", access.OccurredAt);
            json.WriteString("actorType", access.ActorType);
            json.WriteString("who", access.Who);
            json.WriteString("action", access.Action);
            json.WriteString("outcome", access.Outcome);
            json.WriteString("purpose", access.Purpose);
            WriteStrings(json, "fields", access.Fields);
            json.WriteEndObject();
            if (json.BytesPending > 16 * 1024)
            {
                await json.FlushAsync(cancellationToken);
            }
        }

        json.WriteEndArray();

        json.WriteStartArray("purposes");
        foreach (var purpose in content.Purposes)
        {
            json.WriteStartObject();
            json.WriteString("id", purpose.Id);
            json.WriteString("title", purpose.Title);
            json.WriteString("description", purpose.Description);
            json.WriteString("lawfulBasis", purpose.LawfulBasis);
            json.WriteString("retention", purpose.Retention);
            WriteStrings(json, "fields", purpose.Fields);
            json.WriteString("version", purpose.Version);
            json.WriteEndObject();
        }

        json.WriteEndArray();

        json.WriteStartArray("recipients");
        foreach (var recipient in content.Recipients)
        {
            json.WriteStartObject();
            json.WriteString("purpose", recipient.Purpose);
            json.WriteString("clientId", recipient.ClientId);
            json.WriteString("organisation", recipient.Organisation);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private async Task WriteFieldsCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter(stream);
        await Csv.WriteRowAsync(csv, cancellationToken, "name", "title", "value", "category", "version", "stored_at");
        foreach (var field in content.Fields)
        {
            await Csv.WriteRowAsync(csv, cancellationToken, field.Name, field.Title, CsvValue(field.Value), field.Category, Number(field.Version), Instant(field.StoredAt));
        }
    }

    private async Task WriteConsentsCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter(stream);
        await Csv.WriteRowAsync(
            csv, cancellationToken,
            "id", "purpose", "purpose_title", "purpose_version", "state", "occurred_at", "recorded_at", "expires_at", "method", "recorded_by", "notice_language", "evidence");
        foreach (var c in content.Consents)
        {
            await Csv.WriteRowAsync(
                csv, cancellationToken,
                c.Id, c.Purpose, c.PurposeTitle, c.PurposeVersion, c.State, Instant(c.OccurredAt), Instant(c.RecordedAt),
                c.ExpiresAt is { } expires ? Instant(expires) : null, c.Method, c.RecordedBy, c.NoticeLanguage, c.Evidence);
        }
    }

    private async Task WriteAccessLogCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter(stream);
        await Csv.WriteRowAsync(csv, cancellationToken, "sequence", "occurred_at", "actor_type", "who", "action", "outcome", "purpose", "fields");
        await foreach (var a in content.AccessLog(cancellationToken))
        {
            await Csv.WriteRowAsync(
                csv, cancellationToken,
                a.Sequence.ToString(CultureInfo.InvariantCulture), Instant(a.OccurredAt), a.ActorType, a.Who, a.Action, a.Outcome, a.Purpose, string.Join(' ', a.Fields));
        }
    }

    private async Task WritePurposesCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter(stream);
        await Csv.WriteRowAsync(csv, cancellationToken, "id", "title", "description", "lawful_basis", "retention", "fields", "version");
        foreach (var p in content.Purposes)
        {
            await Csv.WriteRowAsync(csv, cancellationToken, p.Id, p.Title, p.Description, p.LawfulBasis, p.Retention, string.Join(' ', p.Fields), p.Version);
        }
    }

    private async Task WriteRecipientsCsvAsync(Stream stream, CancellationToken cancellationToken)
    {
        await using var csv = CsvWriter(stream);
        await Csv.WriteRowAsync(csv, cancellationToken, "purpose", "client_id", "organisation");
        foreach (var r in content.Recipients)
        {
            await Csv.WriteRowAsync(csv, cancellationToken, r.Purpose, r.ClientId, r.Organisation);
        }
    }

    private async Task WriteManifestAsync(Stream stream, List<(string Name, long Length, string Sha256)> files, CancellationToken cancellationToken)
    {
        await using var json = new Utf8JsonWriter(stream, JsonOptions);
        json.WriteStartObject();
        json.WriteNumber("formatVersion", FormatVersion);
        json.WriteString("exportedAt", content.ExportedAt);
        json.WriteStartArray("files");
        foreach (var (name, length, sha256) in files)
        {
            json.WriteStartObject();
            json.WriteString("name", name);
            json.WriteNumber("length", length);
            json.WriteString("sha256", sha256);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(cancellationToken);
    }

    private static StreamWriter CsvWriter(Stream stream) => new(stream, Utf8WithBom, bufferSize: 16 * 1024, leaveOpen: true);

    /// <summary>A text value as itself; any other value (a list, a date) as its JSON text.</summary>
    private static string CsvValue(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void WriteNullable(Utf8JsonWriter json, string name, DateTimeOffset? value)
    {
        if (value is { } instant)
        {
            json.WriteString(name, instant);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteStrings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
