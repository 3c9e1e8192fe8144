using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using DataVault.Testing;
using DataVault.Vault.Clients;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>
/// Fulfilling data-subject requests through the real app host: every audit entry made for a request names it, and the
/// audit search finds them by it.
/// </summary>
public sealed class RequestFulfilmentTests
{
    private sealed record Detail(Request Request, List<Event> History);

    private sealed record Event(string Kind, string ActorType, string ActorId, string? Detail);

    private sealed record ActionDone(string Action, string Detail, Erasure? Erasure, ExportLink? ExportLink, Detail Request);

    private sealed record ExportLink(string SentTo, DateTimeOffset ExpiresAt);

    private sealed record CertificateResponse(string Certificate);

    private sealed record Erasure(string ReceiptId, string SubjectId);

    private sealed record ChangeEvent(string Type, string? SubjectId, string[] Purposes, string? RequestId);

    private sealed record ChangePage(List<ChangeEvent> Events, string Next);

    private sealed record Request(string Id, string Status, string? SubjectId);

    private sealed record AuditPage(List<AuditItem> Items, long? NextCursor);

    private sealed record AuditItem(long Sequence, string Action, string Outcome, string? SubjectId, string? RequestId);

    [Fact]
    public async Task AuditSearch_ByRequest_FindsEveryEntryMadeForItAndNoOther()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var first = await NewRequestAsync(client);
        var second = await NewRequestAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{first}/transitions", new { to = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{second}/notes", new { text = "Called back." })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/requests/{first}")).StatusCode);

        using var found = await client.GetAsync($"/api/v1/audit?request={first}");
        Assert.Equal(HttpStatusCode.OK, found.StatusCode);
        var page = await Read<AuditPage>(found);
        // A creation is attempted before the request has an id; its outcome names the request created.
        Assert.Equal(
            ["request.read:success", "request.transition:success", "request.transition:attempted", "request.create:success"],
            page.Items.Select(e => $"{e.Action}:{e.Outcome}"));
        Assert.All(page.Items, e => Assert.Equal(first, e.RequestId));

        // The trail stores it, and the entries of the other request name theirs.
        Assert.Equal(4, app.AuditEntries().Count(e => e.RequestId == first));
        Assert.Equal(3, app.AuditEntries().Count(e => e.RequestId == second));
        Assert.Empty((await Read<AuditPage>(await client.GetAsync($"/api/v1/audit?request={Guid.NewGuid()}"))).Items);
    }

    [Fact]
    public async Task Actions_WithdrawRectifyErase_EachTakenForTheSubjectAndAuditedAndPublishedWithTheRequestId()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        using var officer = await app.CreateClientAsync();
        app.Monitor.Remember("Anneliese");
        var subject = await CreateAsync(shop, new { email = "ana.subject@example.com", given_name = "Ana" });
        await RecordAsync(shop, subject, "marketing-email", "given");
        var request = await NewRequestAsync(officer, subject, "consent-withdrawal");
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/v1/requests/{request}/transitions", new { to = "in-progress" })).StatusCode);

        using var withdrawn = await officer.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "withdraw-consent", purposeId = "marketing-email" });
        Assert.Equal(HttpStatusCode.OK, withdrawn.StatusCode);
        var withdrawal = await Read<ActionDone>(withdrawn);
        Assert.StartsWith("withdraw-consent purpose=marketing-email event=", withdrawal.Detail, StringComparison.Ordinal);
        Assert.Equal(("action", withdrawal.Detail), (withdrawal.Request.History[^1].Kind, withdrawal.Request.History[^1].Detail));

        using var rectified = await officer.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "rectify", fields = new { given_name = "Anneliese" } });
        Assert.Equal(HttpStatusCode.OK, rectified.StatusCode);
        Assert.Equal("rectify fields=given_name", (await Read<ActionDone>(rectified)).Detail);

        using var erased = await officer.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "erase" });
        Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        var erasure = await Read<ActionDone>(erased);
        Assert.Equal((subject, $"erase receipt={erasure.Erasure!.ReceiptId}"), (erasure.Erasure.SubjectId, erasure.Detail));
        Assert.Equal(HttpStatusCode.Gone, (await officer.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "restrict", reason = "Asked to." })).StatusCode);

        // Every operation is on record under its own code and under the request's action, each naming the request.
        var forRequest = app.AuditEntries().Where(e => e.RequestId == request && e.Action != "request.read").Select(e => $"{e.Action}:{e.Outcome}:{e.SubjectId}").ToList();
        Assert.Equal(
            [$"request.create:success:{subject}", "request.transition:attempted:", $"request.transition:success:{subject}",
             "request.action:attempted:", $"consent.record:attempted:{subject}", $"consent.record:success:{subject}", $"request.action:success:{subject}",
             "request.action:attempted:", $"subject.rectify:attempted:{subject}", $"subject.rectify:success:{subject}", $"request.action:success:{subject}",
             "request.action:attempted:", $"subject.erase:attempted:{subject}", $"subject.erase:success:{subject}", $"request.action:success:{subject}",
             "request.action:attempted:", $"restriction.record:attempted:{subject}", $"restriction.record:gone:{subject}", "request.action:gone:"],
            forRequest);
        Assert.Contains(app.AuditEntries(), e => e is { Action: "subject.rectify", Outcome: "success", Fields: "given_name" } && e.RequestId == request);

        // The change events the actions caused name the request too (they are routed to their recipients in the background).
        var events = new List<ChangeEvent>();
        var query = "?wait=10";
        for (var polls = 0; events.Count < 4 && polls < 6; polls++)
        {
            var page = await shop.GetWireAsync<ChangePage>("/api/v1/changes" + query);
            events.AddRange(page.Events);
            query = $"?wait=10&after={page.Next}";
        }

        Assert.Equal(
            new (string, string?)[] { ("consent.given", null), ("consent.withdrawn", request), ("subject.rectified", request), ("subject.erased", request) },
            events.Select(e => (e.Type, e.RequestId)));

        // The certificate names the shop among the recipients told of the changes made for the request.
        Assert.Equal(HttpStatusCode.OK, (await officer.PostAsJsonAsync($"/api/v1/requests/{request}/completion", new { })).StatusCode);
        var told = Payload(await VerifyCertificateAsync(officer, request)).GetProperty("recipientsTold").EnumerateArray()
            .Select(t => (t.GetProperty("clientId").GetString(), t.GetProperty("change").GetString())).ToList();
        Assert.Contains(("shop", "consent.withdrawn"), told);
        Assert.Contains(("shop", "subject.erased"), told);
    }

    [Theory]
    [InlineData("""{"action":"forget"}""", "action")]
    [InlineData("""{}""", "action")]
    [InlineData("""{"action":"rectify"}""", "fields")]
    [InlineData("""{"action":"rectify","fields":{"no_such_field":"x"}}""", "fields.no_such_field")]
    [InlineData("""{"action":"withdraw-consent"}""", "purposeId")]
    [InlineData("""{"action":"restrict"}""", "reason")]
    public async Task Actions_BadBody_Returns400NamingTheFieldAndChangesNothing(string body, string named)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subject = await CreateAsync(client, new { email = "ana.subject@example.com", given_name = "Ana" });
        var request = await NewRequestAsync(client, subject, "rectification");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{request}/transitions", new { to = "in-progress" })).StatusCode);
        var before = (await client.GetWireAsync<Detail>($"/api/v1/requests/{request}")).History.Count;

        using var response = await client.PostAsync($"/api/v1/requests/{request}/actions", new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));
        Assert.Equal(before, (await client.GetWireAsync<Detail>($"/api/v1/requests/{request}")).History.Count);
        Assert.DoesNotContain(app.AuditEntries(), e => e.Action is "subject.rectify" or "consent.record" or "restriction.record" && e.Outcome == "success");
    }

    [Fact]
    public async Task Actions_RequestNotInProgressOrUnlinked_Returns409_UnknownRequest404()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subject = await CreateAsync(client, new { email = "ana.subject@example.com", given_name = "Ana" });
        var received = await NewRequestAsync(client, subject, "erasure");
        var unlinked = await NewRequestAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{unlinked}/transitions", new { to = "in-progress" })).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/requests/{received}/actions", new { action = "erase" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/requests/{unlinked}/actions", new { action = "erase" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync($"/api/v1/requests/{Guid.NewGuid()}/actions", new { action = "erase" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.PostAsJsonAsync("/api/v1/requests/not-an-id/actions", new { action = "erase" })).StatusCode);
        Assert.DoesNotContain(app.AuditEntries(), e => e.Action == "subject.erase");
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"/api/v1/subjects/{subject}?purpose=marketing-email")).StatusCode);
    }

    [Fact]
    public async Task EndToEnd_EmailRequestVerifiedByCode_OfficerSendsTheExportLink_CustomerDownloadsOnce()
    {
        const string address = "ana.subject@example.com";
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite]);
        using var desk = await app.CreateClientAsync();
        var subject = await CreateAsync(shop, new { email = address, given_name = "Ana" });

        // An e-mail request, verified by the code sent to the address on record.
        using var created = await desk.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "email", subjectId = subject, requester = new { email = address } });
        var request = (await Read<Detail>(created)).Request.Id;
        Assert.Equal(HttpStatusCode.Accepted, (await desk.PostAsync($"/api/v1/requests/{request}/identity/challenge", null)).StatusCode);
        var codeMail = await smtp.WaitForMessageAsync(m => m.Subject == "Your code to confirm your request");
        var code = Regex.Match(codeMail.TextBody ?? string.Empty, @"\b\d{8}\b").Value;
        app.Monitor.Remember(code);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/api/v1/requests/{request}/identity/verification", new { code })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/api/v1/requests/{request}/transitions", new { to = "in-progress" })).StatusCode);

        // The officer has the vault e-mail the link; the answer says where it went, never the link.
        using var sent = await desk.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "export-link" });
        Assert.Equal(HttpStatusCode.OK, sent.StatusCode);
        var done = await Read<ActionDone>(sent);
        Assert.Equal("a***@example.com", done.ExportLink!.SentTo);
        Assert.Equal(["action", "notice"], done.Request.History.TakeLast(2).Select(e => e.Kind));
        var linkMail = await smtp.WaitForMessageAsync(m => m.Subject == "Your data is ready to download");
        Assert.Equal(address, Assert.Single(linkMail.To.Mailboxes).Address);
        var link = new Uri(Regex.Match(linkMail.TextBody ?? string.Empty, @"http\S+/requests/download\?token=\S+").Value);
        var token = Uri.UnescapeDataString(link.Query["?token=".Length..]);
        app.Monitor.Remember(token);
        Assert.DoesNotContain(token, await sent.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // The customer, who has no account, downloads once; the link is then gone.
        using var customer = app.CreateClient();
        using var download = await customer.GetAsync(link.PathAndQuery);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        using (var zip = new ZipArchive(await download.Content.ReadAsStreamAsync()))
        {
            Assert.Contains("data.json", zip.Entries.Select(e => e.FullName));
        }

        Assert.Equal(HttpStatusCode.Gone, (await customer.GetAsync(link.PathAndQuery)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await customer.GetAsync("/requests/download?token=not-a-token")).StatusCode);

        var downloads = app.AuditEntries().Where(e => e.Action == "request.export-download").Select(e => (e.ActorType, e.Outcome, e.SubjectId, e.RequestId)).ToList();
        Assert.Equal(
            new (string, string, string?, string?)[]
            {
                ("anonymous", "attempted", null, null), ("subject", "success", subject, request),
                ("anonymous", "attempted", null, null), ("subject", "gone", subject, request),
                ("anonymous", "attempted", null, null), ("anonymous", "not-found", null, null),
            },
            downloads);
        Assert.Contains(app.AuditEntries(), e => e is { Action: "request.export-download", Outcome: "success", Fields: "email,given_name" });
        using var db = app.OpenDatabase();
        using var stored = db.CreateCommand();
        stored.CommandText = "SELECT token_hash, used_at IS NOT NULL FROM request_export_links;";
        using var row = stored.ExecuteReader();
        Assert.True(row.Read());
        Assert.Equal(SHA256.HashData(Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + new string('=', (4 - (token.Length % 4)) % 4))), (byte[])row[0]);
        Assert.True(row.GetBoolean(1));

        // Once completed, the certificate verifies offline against the published keys and tells what was done, by whom, within which deadline.
        Assert.Equal(HttpStatusCode.OK, (await desk.PostAsJsonAsync($"/api/v1/requests/{request}/completion", new { summary = "Export sent by link." })).StatusCode);
        var certificate = await VerifyCertificateAsync(desk, request);
        Assert.Equal((request, "access", subject, "completed", "email"), (certificate.GetClaim("requestId").Value, certificate.GetClaim("type").Value, certificate.GetClaim("subjectId").Value, certificate.GetClaim("status").Value, certificate.GetClaim("channel").Value));
        Assert.True(certificate.TryGetPayloadValue<bool>("onTime", out var onTime) && onTime);
        var steps = Payload(certificate).GetProperty("steps").EnumerateArray().ToList();
        Assert.Contains(steps, e => e.GetProperty("kind").GetString() == "identity-verified");
        Assert.Contains(steps, e => e.GetProperty("kind").GetString() == "action" && e.GetProperty("detail").GetString()!.StartsWith("export-link link=", StringComparison.Ordinal)
            && e.GetProperty("by").GetProperty("id").GetString() == DataVaultApplication.DefaultClientId);
        Assert.Equal("completed", steps[^2].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.String, Payload(certificate).GetProperty("deadline").GetProperty("dueDate").ValueKind);
        Assert.DoesNotContain("Export sent by link.", Base64UrlEncoder.Decode(certificate.EncodedPayload), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Certificate_OpenRequest_Returns409_UnknownRequest404()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var request = await NewRequestAsync(client);

        Assert.Equal(HttpStatusCode.Conflict, (await client.GetAsync($"/api/v1/requests/{request}/certificate")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/requests/{Guid.NewGuid()}/certificate")).StatusCode);
    }

    private static JsonElement Payload(JsonWebToken token) => JsonDocument.Parse(Base64UrlEncoder.Decode(token.EncodedPayload)).RootElement;

    /// <summary>The request's certificate, verified as anyone can offline: the JWKS fetched once, then no call to the vault.</summary>
    private static async Task<JsonWebToken> VerifyCertificateAsync(HttpClient client, string request)
    {
        var certificate = (await client.GetWireAsync<CertificateResponse>($"/api/v1/requests/{request}/certificate")).Certificate;
        var jwks = new JsonWebKeySet(await client.GetStringAsync("/.well-known/jwks.json"));
        var validation = await new JsonWebTokenHandler().ValidateTokenAsync(certificate, new TokenValidationParameters
        {
            ValidateAudience = false,
            ValidateLifetime = false,
            ValidIssuer = "http://localhost",
            IssuerSigningKeys = jwks.GetSigningKeys(),
            ValidTypes = ["request-certificate+jwt"],
        });
        Assert.True(validation.IsValid, validation.Exception?.Message);
        return (JsonWebToken)validation.SecurityToken;
    }

    [Fact]
    public async Task ExportLink_RequestNotForAccess_Returns409AndSendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subject = await CreateAsync(client, new { email = "ana.subject@example.com", given_name = "Ana" });
        var request = await NewRequestAsync(client, subject, "erasure");
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{request}/transitions", new { to = "in-progress" })).StatusCode);

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/requests/{request}/actions", new { action = "export-link" })).StatusCode);

        using var db = app.OpenDatabase();
        using var count = db.CreateCommand();
        count.CommandText = "SELECT (SELECT COUNT(*) FROM request_export_links) + (SELECT COUNT(*) FROM mail_outbox WHERE kind = 'request-export-link');";
        Assert.Equal(0L, (long)count.ExecuteScalar()!);
    }

    private static async Task<string> NewRequestAsync(HttpClient client, string subjectId, string type)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/requests", new { type, channel = "api", subjectId });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await Read<Detail>(created)).Request.Id;
    }

    private static async Task<string> NewRequestAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "letter", requester = new { name = "Ana" } });
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await Read<Detail>(created)).Request.Id;
    }

    private static async Task<T> Read<T>(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
}
