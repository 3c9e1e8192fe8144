using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;

namespace DataVault.Api.Tests;

/// <summary>
/// Data-subject requests through the real app host: real tokens with <c>requests.manage</c>, the real vault and
/// audit trail, and the notices delivered through the mail channel to a real SMTP server on loopback.
/// </summary>
public sealed class RequestEndpointsTests
{
    private const string Requester = "maria.requester@example.com";
    private const string SubjectAddress = "ana.subject@example.com";

    private sealed record Detail(Request Request, List<Event> History);

    private sealed record Request(
        string Id, string Type, string? SubjectId, string? RequesterMask, string Channel, string Status, DateOnly ReceivedDate, DateOnly DueDate, DateOnly FirstDueDate,
        int ExtensionMonths, int PausedDays, DateOnly? PausedSince, string? RefusalReason, bool? OnTime, bool Overdue, bool DueSoon);

    private sealed record Event(string Kind, string ActorType, string ActorId, string? FromStatus, string? ToStatus, string? Detail, string? Note);

    private sealed record Page(List<Request> Items, string? NextCursor);

    private sealed record Problem(int Status, string Title, string? Detail, Dictionary<string, string[]>? Errors);

    [Fact]
    public async Task Lifecycle_EmailRequest_ReceiptExtensionAndRefusalNoticesArriveBySmtpInTheRequestersLanguage_AndEveryStepIsAudited()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero));
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(time, smtp.Settings);
        app.Monitor.Remember(Requester);
        app.Monitor.Remember("María Requester");
        using var client = await app.CreateClientAsync();

        using var created = await client.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "access",
            channel = "email",
            language = "es",
            requester = new { name = "María Requester", email = Requester },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = (await Read<Detail>(created)).Request;
        Assert.Equal($"/api/v1/requests/{request.Id}", created.Headers.Location?.OriginalString);
        Assert.Equal(("received", "m***@example.com", new DateOnly(2026, 4, 6)), (request.Status, request.RequesterMask, request.DueDate));
        var receipt = await smtp.WaitForMessageToAsync(Requester);
        Assert.Equal("Hemos recibido tu solicitud", receipt.Subject);
        Assert.Contains("2026-04-06", receipt.TextBody, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{request.Id}/transitions", new { to = "in-progress" })).StatusCode);
        using var extended = await client.PostAsJsonAsync($"/api/v1/requests/{request.Id}/extension", new { months = 2, reason = "Tenemos que revisar cinco sistemas." });
        Assert.Equal(HttpStatusCode.OK, extended.StatusCode);
        Assert.Equal(new DateOnly(2026, 6, 5), (await Read<Detail>(extended)).Request.DueDate);
        var extension = await smtp.WaitForMessageAsync(m => m.Subject == "Necesitamos más tiempo para tu solicitud");
        Assert.Contains("Tenemos que revisar cinco sistemas.", extension.TextBody, StringComparison.Ordinal);

        using var refused = await client.PostAsJsonAsync($"/api/v1/requests/{request.Id}/refusal", new { reason = "rights-of-others", text = "Los datos incluyen a otra persona." });
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        var refusal = await smtp.WaitForMessageAsync(m => m.Subject == "No podemos atender tu solicitud");
        Assert.Contains("art. 77 RGPD", refusal.TextBody, StringComparison.Ordinal);
        Assert.Contains("art. 79 RGPD", refusal.TextBody, StringComparison.Ordinal);
        Assert.Contains("art. 15.4 RGPD", refusal.TextBody, StringComparison.Ordinal);

        using var read = await client.GetAsync($"/api/v1/requests/{request.Id}");
        var detail = await Read<Detail>(read);
        Assert.Equal(("refused", "rights-of-others", true), (detail.Request.Status, detail.Request.RefusalReason, detail.Request.OnTime));
        Assert.Equal(
            ["received", "notice", "status", "extended", "notice", "refused", "notice"],
            detail.History.Select(e => e.Kind));
        Assert.All(detail.History, e => Assert.Equal(("client", DataVaultApplication.DefaultClientId), (e.ActorType, e.ActorId)));

        var actions = app.AuditEntries().Where(e => e.Action.StartsWith("request.", StringComparison.Ordinal)).Select(e => $"{e.Action}:{e.Outcome}").ToList();
        Assert.Equal(
            ["request.create:attempted", "request.create:success", "request.transition:attempted", "request.transition:success", "request.extend:attempted", "request.extend:success",
             "request.refuse:attempted", "request.refuse:success", "request.read:success"],
            actions);
    }

    [Fact]
    public async Task EmailRequest_VerifiedByCodeSentOnlyToTheAddressOnRecord_RequesterIdentifiersNeverAttached_ThenNoticesGoToTheRecord()
    {
        const string mallory = "mallory@example.com";
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        app.Monitor.Remember(mallory);
        app.Monitor.Remember("+34 611 222 333");
        using var client = await app.CreateClientAsync();
        var subject = await CreateSubjectAsync(client);

        using var created = await client.PostAsJsonAsync("/api/v1/requests", new
        {
            type = "access",
            channel = "email",
            subjectId = subject,
            requester = new { email = mallory, phone = "+34 611 222 333" },
        });
        var id = (await Read<Detail>(created)).Request.Id;

        using var challenged = await client.PostAsync($"/api/v1/requests/{id}/identity/challenge", null);
        Assert.Equal(HttpStatusCode.Accepted, challenged.StatusCode);
        var sent = await challenged.Content.ReadAsStringAsync();
        Assert.Contains("\"sentTo\":\"a***@example.com\"", sent, StringComparison.Ordinal);
        var mail = await smtp.WaitForMessageAsync(m => m.Subject == "Your code to confirm your request");
        Assert.Equal(SubjectAddress, Assert.Single(mail.To.Mailboxes).Address);
        var code = System.Text.RegularExpressions.Regex.Match(mail.TextBody ?? string.Empty, @"\b\d{8}\b").Value;
        app.Monitor.Remember(code);
        Assert.DoesNotContain(code, sent, StringComparison.Ordinal);

        using var wrong = await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code = code == "00000000" ? "11111111" : "00000000" });
        Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        using var verified = await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code });
        Assert.Equal(HttpStatusCode.OK, verified.StatusCode);
        var history = (await Read<Detail>(verified)).History;
        Assert.Equal(["received", "notice", "identity-challenge", "notice", "identity-verified"], history.Select(e => e.Kind));
        using var again = await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "in-progress" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/completion", new { })).StatusCode);
        var completion = await smtp.WaitForMessageAsync(m => m.Subject == "Your request has been completed");
        Assert.Equal(SubjectAddress, Assert.Single(completion.To.Mailboxes).Address);

        // The requester's address received the receipt only, never the code; their phone was never attached to the subject.
        var toMallory = smtp.Messages.Where(m => m.To.Mailboxes.Any(a => a.Address == mallory)).ToList();
        Assert.Equal(["We have received your request"], toMallory.Select(m => m.Subject));
        Assert.DoesNotContain(code, toMallory[0].TextBody ?? string.Empty, StringComparison.Ordinal);
        Assert.Equal(0L, Count(app, "field_values WHERE field = 'phone'"));
        Assert.Equal(0L, Count(app, "blind_index WHERE field = 'phone'"));
    }

    [Fact]
    public async Task IdentityCode_WrongFiveTimes_StopsWorking_AndManualCheckRecordsTheEvidenceKind()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subject = await CreateSubjectAsync(client);
        var id = await CreateAsync(client, subjectId: subject);
        var unlinked = await CreateAsync(client);

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsync($"/api/v1/requests/{unlinked}/identity/challenge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code = "12345678" })).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/requests/{id}/identity/challenge", null)).StatusCode);
        for (var i = 0; i < 5; i++)
        {
            using var guess = await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code = $"9999999{i}" });
            Assert.True(guess.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.OK, $"{(int)guess.StatusCode}");
        }

        Assert.Equal(HttpStatusCode.Conflict, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code = "99999995" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { evidence = "library-card" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { code = "12345678", evidence = "passport" })).StatusCode);
        using var manual = await client.PostAsJsonAsync($"/api/v1/requests/{id}/identity/verification", new { evidence = "passport" });
        Assert.Equal(HttpStatusCode.OK, manual.StatusCode);
        Assert.Contains("\"identityMethod\":\"manual:passport\"", await manual.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Transition_NotAllowedFromTheStatus_Returns409ProblemAndChangesNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client);

        using var complete = await client.PostAsJsonAsync($"/api/v1/requests/{id}/completion", new { summary = "done" });
        Assert.Equal(HttpStatusCode.Conflict, complete.StatusCode);
        Assert.Equal("application/problem+json", complete.Content.Headers.ContentType?.MediaType);
        Assert.Contains("received", (await Read<Problem>(complete)).Detail, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "withdrawn" })).StatusCode);
        using var reopened = await client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "in-progress" });
        Assert.Equal(HttpStatusCode.Conflict, reopened.StatusCode);

        var detail = await client.GetFromJsonAsync<Detail>($"/api/v1/requests/{id}", JsonSerializerOptions.Web);
        Assert.Equal("withdrawn", detail!.Request.Status);
        Assert.Equal(["received", "status"], detail.History.Select(e => e.Kind));
    }

    [Fact]
    public async Task IdentityCheck_PausesTheClockVisibly_AndCompletionRecordsItWasOnTime()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var app = new DataVaultApplication(time);
        var secret = await app.RegisterClientAsync(DataVaultApplication.DefaultClientId);
        using var client = app.CreateMonitoredClient();
        await SignInAsync(app, client, secret);
        var id = await CreateAsync(client);

        time.Set(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        await SignInAsync(app, client, secret);
        using var paused = await client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "identity-check", pauseClock = true });
        Assert.Equal(new DateOnly(2026, 3, 3), (await Read<Detail>(paused)).Request.PausedSince);

        time.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        await SignInAsync(app, client, secret);
        using var resumed = await client.PostAsJsonAsync($"/api/v1/requests/{id}/transitions", new { to = "in-progress" });
        var request = (await Read<Detail>(resumed)).Request;
        Assert.Equal((7, (DateOnly?)null, new DateOnly(2026, 4, 9)), (request.PausedDays, request.PausedSince, request.DueDate));

        time.Set(new DateTimeOffset(2026, 4, 9, 20, 0, 0, TimeSpan.Zero));
        await SignInAsync(app, client, secret);
        using var completed = await client.PostAsJsonAsync($"/api/v1/requests/{id}/completion", new { summary = "Copy sent by post." });
        Assert.Equal((true, "completed"), ((await Read<Detail>(completed)).Request.OnTime, (await client.GetFromJsonAsync<Detail>($"/api/v1/requests/{id}", JsonSerializerOptions.Web))!.Request.Status));
    }

    [Fact]
    public async Task List_FiltersAndPages_OverdueFirst()
    {
        var time = new ManualTimeProvider(new DateTimeOffset(2026, 3, 5, 10, 0, 0, TimeSpan.Zero));
        await using var app = new DataVaultApplication(time);
        var secret = await app.RegisterClientAsync(DataVaultApplication.DefaultClientId);
        using var client = app.CreateMonitoredClient();
        await SignInAsync(app, client, secret);
        var subject = await CreateSubjectAsync(client);
        var old = await CreateAsync(client, type: "erasure", subjectId: subject);
        time.Set(new DateTimeOffset(2026, 4, 1, 10, 0, 0, TimeSpan.Zero));
        await SignInAsync(app, client, secret);
        var recent = await CreateAsync(client);
        time.Set(new DateTimeOffset(2026, 4, 8, 10, 0, 0, TimeSpan.Zero));
        await SignInAsync(app, client, secret);

        var overdue = (await client.GetFromJsonAsync<Page>("/api/v1/requests?overdue=true", JsonSerializerOptions.Web))!;
        Assert.Equal([old], overdue.Items.Select(r => r.Id));
        Assert.True(overdue.Items[0].Overdue);
        Assert.Equal([recent], (await client.GetFromJsonAsync<Page>("/api/v1/requests?type=access", JsonSerializerOptions.Web))!.Items.Select(r => r.Id));
        Assert.Equal([old], (await client.GetFromJsonAsync<Page>($"/api/v1/requests?subjectId={subject}&status=received", JsonSerializerOptions.Web))!.Items.Select(r => r.Id));
        Assert.Equal([old], (await client.GetFromJsonAsync<Page>("/api/v1/requests?dueBefore=2026-04-30", JsonSerializerOptions.Web))!.Items.Select(r => r.Id));

        var first = (await client.GetFromJsonAsync<Page>("/api/v1/requests?limit=1", JsonSerializerOptions.Web))!;
        Assert.Equal([old], first.Items.Select(r => r.Id));
        var second = (await client.GetFromJsonAsync<Page>($"/api/v1/requests?limit=1&cursor={first.NextCursor}", JsonSerializerOptions.Web))!;
        Assert.Equal([recent], second.Items.Select(r => r.Id));
        Assert.Equal(subject, app.AuditEntries().Last(e => e.Action == AuditActions.RequestList && e.SubjectId is not null).SubjectId);
    }

    [Theory]
    [InlineData("limit=0", "limit")]
    [InlineData("limit=201", "limit")]
    [InlineData("status=open", "status")]
    [InlineData("type=everything", "type")]
    [InlineData("subjectId=not-an-id", "subjectId")]
    [InlineData("cursor=AAAA", "cursor")]
    public async Task List_BadFilter_Returns400NamingIt(string query, string named)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.GetAsync($"/api/v1/requests?{query}");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await Read<Problem>(response)).Errors!.Keys);
    }

    [Fact]
    public async Task List_DueBeforeNotADate_Returns400Problem()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.GetAsync("/api/v1/requests?dueBefore=tomorrow");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    public static TheoryData<string, string, string> BadCreateBodies => new()
    {
        { "no type", """{"channel": "email", "requester": {"email": "x@example.com"}}""", "type" },
        { "unknown type", """{"type": "everything", "channel": "email", "requester": {"email": "x@example.com"}}""", "type" },
        { "unknown channel", """{"type": "access", "channel": "fax", "requester": {"email": "x@example.com"}}""", "channel" },
        { "nobody", """{"type": "access", "channel": "email"}""", "requester" },
        { "empty requester", """{"type": "access", "channel": "email", "requester": {}}""", "requester" },
        { "bad e-mail", """{"type": "access", "channel": "email", "requester": {"email": "not an address"}}""", "requester.email" },
        { "bad phone", """{"type": "access", "channel": "phone", "requester": {"phone": "call me maybe"}}""", "requester.phone" },
        { "future", """{"type": "access", "channel": "letter", "requester": {"name": "Ana"}, "receivedAt": "2999-01-01T00:00:00Z"}""", "receivedAt" },
        { "language", """{"type": "access", "channel": "letter", "requester": {"name": "Ana"}, "language": "fr"}""", "language" },
        { "long note", $$"""{"type": "access", "channel": "letter", "requester": {"name": "Ana"}, "note": "{{new string('n', 2001)}}"}""", "note" },
    };

    [Theory]
    [MemberData(nameof(BadCreateBodies))]
    public async Task Create_BadBody_Returns400NamingTheFieldAndStoresNothing(string scenario, string body, string named)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.PostAsync("/api/v1/requests", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{scenario}: {(int)response.StatusCode}");
        Assert.Contains(named, (await Read<Problem>(response)).Errors!.Keys);
        Assert.Equal(0L, Count(app, "requests"));
    }

    [Theory]
    [InlineData("{")]
    [InlineData("""{"type": 7}""")]
    [InlineData("")]
    public async Task Create_MalformedJson_Returns400Problem(string body)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.PostAsync("/api/v1/requests", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0L, Count(app, "requests"));
    }

    [Fact]
    public async Task Create_UnknownSubject_Returns404_AndErasedSubject410()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var erased = await CreateSubjectAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/subjects/{erased}")).StatusCode);

        using var unknown = await client.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "api", subjectId = "0198c8a4-0000-7000-8000-000000000000" });
        using var gone = await client.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "api", subjectId = erased });

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.Gone), (unknown.StatusCode, gone.StatusCode));
        Assert.Equal(0L, Count(app, "requests"));
    }

    [Theory]
    [InlineData("GET", "", null)]
    [InlineData("POST", "/notes", """{"text": "a note"}""")]
    [InlineData("POST", "/transitions", """{"to": "in-progress"}""")]
    [InlineData("POST", "/completion", "{}")]
    public async Task UnknownOrMalformedRequestId_Returns404Problem(string method, string suffix, string? body)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        foreach (var id in new[] { "0198c8a4-0000-7000-8000-000000000000", "not-an-id" })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/requests/{id}{suffix}");
            if (body is not null)
            {
                request.Content = new StringContent(body, Encoding.UTF8, "application/json");
            }

            using var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Theory]
    [InlineData("/transitions", """{"to": "completed"}""", "to")]
    [InlineData("/transitions", """{"to": "in-progress", "pauseClock": true}""", "pauseClock")]
    [InlineData("/transitions", "{}", "to")]
    [InlineData("/notes", """{"text": "   "}""", "text")]
    [InlineData("/extension", """{"months": 3, "reason": "complex"}""", "months")]
    [InlineData("/extension", """{"months": 1}""", "reason")]
    [InlineData("/refusal", """{"reason": "because", "text": "no"}""", "reason")]
    [InlineData("/refusal", """{"reason": "excessive"}""", "text")]
    [InlineData("/completion", """{"summary": "a\u0000b"}""", "summary")]
    public async Task Change_BadBody_Returns400NamingTheFieldAndChangesNothing(string suffix, string body, string named)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client);

        using var response = await client.PostAsync($"/api/v1/requests/{id}{suffix}", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(named, (await Read<Problem>(response)).Errors!.Keys);
        Assert.Equal(1L, Count(app, "request_events"));
    }

    [Fact]
    public async Task Create_WithoutRequestsManage_Returns403AndStoresNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync("crm-no-requests", scopes: Scopes.All.Where(s => s != Scopes.RequestsManage));

        using var response = await client.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "email", requester = new { email = Requester } });

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(0L, Count(app, "requests"));
    }

    private static async Task<string> CreateAsync(HttpClient client, string type = "access", string? subjectId = null)
    {
        object body = subjectId is null
            ? new { type, channel = "letter", requester = new { name = "Ana" } }
            : new { type, channel = "api", subjectId };
        using var created = await client.PostAsJsonAsync("/api/v1/requests", body);
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        return (await Read<Detail>(created)).Request.Id;
    }

    private static async Task<string> CreateSubjectAsync(HttpClient client)
    {
        using var created = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Ana", email = SubjectAddress } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>A fresh access token after the clock moved past the last one's lifetime.</summary>
    private static async Task SignInAsync(DataVaultApplication app, HttpClient client, string secret) =>
        client.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue(
            "Bearer", await app.RequestTokenAsync(DataVaultApplication.DefaultClientId, secret));

    private static async Task<T> Read<T>(HttpResponseMessage response) =>
        JsonSerializer.Deserialize<T>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;

    private static long Count(DataVaultApplication app, string table)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }
}
