using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataVault.Api.Auditing;
using DataVault.Api.Authorization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

public sealed partial class AuthorizationMatrixTests
{
    /// <summary>What a case's setup made for its seed (by seed number) that the request names: a subscription, an event id.</summary>
    private static readonly ConcurrentDictionary<int, string> Prepared = new();

    /// <summary>Client A's purposes: it creates the subjects, holds their consents, and its requests are the ones replayed.</summary>
    private static readonly string[] PurposesOfA = ["marketing-email", "analytics", "partner-sharing"];

    /// <summary>Client B's purpose: none of A's, and none whose fields include e-mail.</summary>
    private static readonly string[] PurposesOfB = ["personalisation"];

    /// <summary>
    /// What client A asks of each route, about a subject A created, by "METHOD pattern". A route missing here fails
    /// the test: a new route is covered as soon as it exists. <see cref="Boundary.Refused"/>: a client without the
    /// purpose is refused (403, or 404 for an object it may not see) and nothing changes; <see cref="Boundary.Filtered"/>:
    /// it is answered, but only about its own purposes; <see cref="Boundary.NotPurposeBound"/>: the route is bound
    /// by its scope alone, for the reason given, and still never answers with a value.
    /// </summary>
    private static readonly Dictionary<string, RouteCase> Cases = new(StringComparer.Ordinal)
    {
        ["POST /api/v1/subjects"] = new(s => Json(HttpMethod.Post, "/api/v1/subjects", new { fields = new { email = $"other.{s.Number}@example.com", given_name = Name } }), Boundary.Refused),
        ["GET /api/v1/subjects"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects?email={Uri.EscapeDataString(s.Email)}&purpose=marketing-email"), Boundary.Refused),
        ["GET /api/v1/subjects/{subjectId}"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}?purpose=marketing-email"), Boundary.Refused),
        ["PATCH /api/v1/subjects/{subjectId}"] = new(s => Json(HttpMethod.Patch, $"/api/v1/subjects/{s.Id}", new { fields = new { email = $"changed.{s.Number}@example.com" } }), Boundary.Refused),
        ["DELETE /api/v1/subjects/{subjectId}"] = new(
            s => new(HttpMethod.Delete, $"/api/v1/subjects/{s.Id}"),
            Boundary.NotPurposeBound("erasure is the subject's right whatever the purpose (GDPR Art. 17), so it is its own scope, subjects.erase")),
        ["POST /api/v1/subjects/{subjectId}/consents"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/subjects/{s.Id}/consents", new { purposeId = "marketing-email", state = "withdrawn", noticeLanguage = "en" }), Boundary.Refused),
        ["GET /api/v1/subjects/{subjectId}/consents"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}/consents"), Boundary.Filtered),
        ["GET /api/v1/subjects/{subjectId}/consents/history"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}/consents/history"), Boundary.Filtered),
        ["GET /api/v1/subjects/{subjectId}/consents/{eventId}/receipt"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}/consents/{s.EventId}/receipt"), Boundary.Refused),
        ["POST /api/v1/subjects/{subjectId}/objections"] = new(s => Json(HttpMethod.Post, $"/api/v1/subjects/{s.Id}/objections", new { purposeId = "analytics" }), Boundary.Refused),
        ["DELETE /api/v1/subjects/{subjectId}/objections"] = new(
            s => new(HttpMethod.Delete, $"/api/v1/subjects/{s.Id}/objections?purpose=analytics&reason=withdrawn%20by%20phone"),
            Boundary.Refused,
            (a, s) => a.PostAsJsonAsync($"/api/v1/subjects/{s.Id}/objections", new { purposeId = "analytics" })),
        ["POST /api/v1/subjects/{subjectId}/restriction"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/subjects/{s.Id}/restriction", new { reason = "accuracy contested" }),
            Boundary.NotPurposeBound("a restriction only protects the subject (GDPR Art. 18), so any system relaying it may record it")),
        ["DELETE /api/v1/subjects/{subjectId}/restriction"] = new(
            s => new(HttpMethod.Delete, $"/api/v1/subjects/{s.Id}/restriction?reason=accuracy%20verified"),
            Boundary.Refused,
            (a, s) => a.PostAsJsonAsync($"/api/v1/subjects/{s.Id}/restriction", new { reason = "accuracy contested" })),
        ["POST /api/v1/subjects/{subjectId}/invitations"] = new(s => new(HttpMethod.Post, $"/api/v1/subjects/{s.Id}/invitations"), Boundary.Refused),
        ["GET /api/v1/purposes"] = new(_ => new(HttpMethod.Get, "/api/v1/purposes"), Boundary.NotPurposeBound("the catalogue is what every client reads to know the purposes")),
        ["GET /api/v1/purposes/{purposeId}/subjects"] = new(_ => new(HttpMethod.Get, "/api/v1/purposes/marketing-email/subjects"), Boundary.Refused),
        ["GET /api/v1/changes"] = new(_ => new(HttpMethod.Get, "/api/v1/changes"), Boundary.Filtered),
        ["POST /api/v1/changes/acknowledgements"] = new(
            s => Json(HttpMethod.Post, "/api/v1/changes/acknowledgements", new { eventIds = new[] { Prepared[s.Number] } }),
            Boundary.NotPurposeBound("a client acknowledges only events of its own feed, which routing already bound to what it received"),
            FeedEventAsync),
        ["GET /api/v1/changes/outstanding"] = new(_ => new(HttpMethod.Get, "/api/v1/changes/outstanding"), OfficersOnly),
        ["POST /api/v1/webhooks/subscriptions"] = new(s => Json(HttpMethod.Post, "/api/v1/webhooks/subscriptions", SubscriptionOf(s)), OwnFeedOnly),
        ["GET /api/v1/webhooks/subscriptions"] = new(_ => new(HttpMethod.Get, "/api/v1/webhooks/subscriptions"), OwnFeedOnly),
        ["GET /api/v1/webhooks/subscriptions/{subscriptionId}"] = new(
            s => new(HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Prepared[s.Number]}"), Boundary.Refused, SubscribeAsync),
        ["DELETE /api/v1/webhooks/subscriptions/{subscriptionId}"] = new(
            s => new(HttpMethod.Delete, $"/api/v1/webhooks/subscriptions/{Prepared[s.Number]}"), Boundary.Refused, SubscribeAsync),
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/secret"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/webhooks/subscriptions/{Prepared[s.Number]}/secret", new { overlapSeconds = 60 }), Boundary.Refused, SubscribeAsync),
        ["GET /api/v1/webhooks/subscriptions/{subscriptionId}/dead-letters"] = new(
            s => new(HttpMethod.Get, $"/api/v1/webhooks/subscriptions/{Prepared[s.Number]}/dead-letters"), Boundary.Refused, SubscribeAsync),
        ["POST /api/v1/webhooks/subscriptions/{subscriptionId}/dead-letters/replay"] = new(
            s => new(HttpMethod.Post, $"/api/v1/webhooks/subscriptions/{Prepared[s.Number]}/dead-letters/replay"), Boundary.Refused, SubscribeAsync),
        ["GET /api/v1/subjects/{subjectId}/recipients"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}/recipients"), OfficersOnly),
        ["GET /api/v1/audit"] = new(s => new(HttpMethod.Get, $"/api/v1/audit?subject={s.Id}"), OfficersOnly),
        ["GET /api/v1/audit/export"] = new(s => new(HttpMethod.Get, $"/api/v1/audit/export?subject={s.Id}&format=jsonl"), OfficersOnly),
        ["POST /api/v1/audit/verification"] = new(_ => new(HttpMethod.Post, "/api/v1/audit/verification"), OfficersOnly),
        ["GET /api/v1/audit/checkpoints"] = new(_ => new(HttpMethod.Get, "/api/v1/audit/checkpoints"), OfficersOnly),
        ["POST /api/v1/requests"] = new(s => Json(HttpMethod.Post, "/api/v1/requests", new { type = "access", channel = "api", subjectId = s.Id }), RequestDesk),
        ["GET /api/v1/requests"] = new(s => new(HttpMethod.Get, $"/api/v1/requests?subjectId={s.Id}"), RequestDesk),
        ["GET /api/v1/requests/{requestId}"] = new(s => new(HttpMethod.Get, $"/api/v1/requests/{s.RequestId}"), RequestDesk),
        ["POST /api/v1/requests/{requestId}/transitions"] = new(s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/transitions", new { to = "in-progress" }), RequestDesk),
        ["POST /api/v1/requests/{requestId}/notes"] = new(s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/notes", new { text = "Called back." }), RequestDesk),
        ["POST /api/v1/requests/{requestId}/extension"] = new(s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/extension", new { months = 1, reason = "Complex." }), RequestDesk),
        ["POST /api/v1/requests/{requestId}/refusal"] = new(s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/refusal", new { reason = "excessive", text = "Repeated." }), RequestDesk),
        ["POST /api/v1/requests/{requestId}/identity/challenge"] = new(s => new(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/identity/challenge"), RequestDesk),
        ["POST /api/v1/requests/{requestId}/identity/verification"] = new(s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/identity/verification", new { evidence = "passport" }), RequestDesk),
        ["POST /api/v1/requests/{requestId}/completion"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/completion", new { summary = "Done." }),
            RequestDesk,
            (a, s) => a.PostAsJsonAsync($"/api/v1/requests/{s.RequestId}/transitions", new { to = "in-progress" })),
        ["POST /api/v1/subjects/{subjectId}/relationships"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/subjects/{s.Id}/relationships", new { purposeId = "service-delivery", endedAt = DateTimeOffset.UtcNow.AddMinutes(-1) }),
            Boundary.Refused,
            ByContractClient: true),
        ["GET /api/v1/subjects/{subjectId}/relationships"] = new(s => new(HttpMethod.Get, $"/api/v1/subjects/{s.Id}/relationships"), Boundary.Filtered),
        ["GET /api/v1/retention/preview"] = new(_ => new(HttpMethod.Get, "/api/v1/retention/preview"), OfficersOnly),
        ["POST /api/v1/requests/{requestId}/actions"] = new(
            s => Json(HttpMethod.Post, $"/api/v1/requests/{s.RequestId}/actions", new { action = "restrict", reason = "Accuracy contested." }),
            RequestDesk,
            (a, s) => a.PostAsJsonAsync($"/api/v1/requests/{s.RequestId}/transitions", new { to = "in-progress" })),
        ["GET /api/v1/requests/{requestId}/certificate"] = new(
            s => new(HttpMethod.Get, $"/api/v1/requests/{s.RequestId}/certificate"),
            RequestDesk,
            async (a, s) =>
            {
                using var moved = await a.PostAsJsonAsync($"/api/v1/requests/{s.RequestId}/transitions", new { to = "in-progress" });
                return await a.PostAsJsonAsync($"/api/v1/requests/{s.RequestId}/completion", new { summary = "Done." });
            }),
    };

    private static Boundary OwnFeedOnly =>
        Boundary.NotPurposeBound("a client's subscriptions push only its own change feed, which routing already bound to what it received");

    private const string Name = "Matrixine";
    private const string BirthDate = "1987-03-14";

    private static Boundary RequestDesk =>
        Boundary.NotPurposeBound("requests.manage is the compliance desk's scope: a request concerns the whole subject, whatever the purpose, and holds codes, dates and masked contacts, never values");

    private static Boundary OfficersOnly => Boundary.NotPurposeBound("audit.read is the officers' scope; entries carry ids and field names, never values");

    [Fact]
    public async Task EveryApiRoute_OnARealSubject_OtherPurposesAndMissingScopesAreRefused_AndNothingLeaks()
    {
        // Every case about a subscription makes one of client A's, more than a client may keep by default.
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Webhooks:MaxSubscriptionsPerClient"] = "100" });
        var routes = ApiRoutes(app);
        var keys = routes.Select(r => Key(r.Method, r.Pattern)).ToList();
        Assert.True(keys.All(Cases.ContainsKey), "Add a case for: " + string.Join(", ", keys.Where(k => !Cases.ContainsKey(k))));
        Assert.True(Cases.Keys.All(keys.Contains), "No such route any more: " + string.Join(", ", Cases.Keys.Where(k => !keys.Contains(k))));

        using var a = await app.CreateClientAsync("client-a", purposes: PurposesOfA);
        using var b = await app.CreateClientAsync("client-b", purposes: PurposesOfB);
        using var d = await app.CreateClientAsync("client-d", purposes: ["service-delivery"]);
        var withoutScope = new Dictionary<string, HttpClient>(StringComparer.Ordinal);
        foreach (var scope in Scopes.All)
        {
            withoutScope[scope] = await app.CreateClientAsync($"client-c-{scope}", Scopes.All.Where(s => s != scope), PurposesOfA);
        }

        var failuresByRoute = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var number = 0;
        foreach (var (method, pattern, scope, _) in routes)
        {
            var key = Key(method, pattern);
            var route = Cases[key];
            var failures = failuresByRoute[key] = [];

            // Each client asks about a subject of its own making, so one's change cannot hide another's.
            var seed = await SeedAsync(app, a, d, ++number, route);
            await ExpectRefusedAsync(app, withoutScope[scope!], $"client-c-{scope}", route.Request(seed), seed, failures, $"{key} without {scope}", [HttpStatusCode.Forbidden]);

            seed = await SeedAsync(app, a, d, ++number, route);
            if (route.Boundary.Kind == BoundaryKind.Refused)
            {
                await ExpectRefusedAsync(app, b, "client-b", route.Request(seed), seed, failures, $"{key} for other purposes", [HttpStatusCode.Forbidden, HttpStatusCode.NotFound]);
            }
            else
            {
                var (status, body) = await SendAsync(b, route.Request(seed));
                Check(!Leaks(body, seed.Values, out var leak), failures, $"{key} for other purposes: the answer holds {leak}");
                Check(route.Boundary.Kind != BoundaryKind.Filtered || (IsSuccess(status) && !PurposesOfA.Any(p => body.Contains(p, StringComparison.Ordinal))), failures, $"{key} for other purposes: answered {(int)status}, or about purposes the client does not hold");
                CheckNoActivationLink(body, failures, $"{key} for other purposes");
            }

            seed = await SeedAsync(app, a, d, ++number, route);
            var (own, ownBody) = await SendAsync(route.ByContractClient ? d : a, route.Request(seed));
            Check(IsSuccess(own), failures, $"{key} for the client's own purpose: answered {(int)own}, so the refusals above prove nothing");
            Check(!Leaks(ownBody, [seed.Phone], out _), failures, $"{key} for the client's own purpose: the answer holds the phone number, which none of its purposes uses");
            CheckNoActivationLink(ownBody, failures, $"{key} for the client's own purpose");
        }

        var open = failuresByRoute.SelectMany(r => r.Value).ToList();
        Assert.True(open.Count == 0, string.Join(Environment.NewLine, open));
    }

    [Fact]
    public async Task EveryLiftRoute_ChoicesNoClientMayUndo_AreRefusedEvenToTheClientOfThePurpose()
    {
        await using var app = new DataVaultApplication();
        var lifts = app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>()
            .SelectMany(s => s.Endpoints)
            .Select(e => e.Metadata.GetMetadata<AuditedAction>()?.Action)
            .Where(action => action is AuditActions.ObjectionLift or AuditActions.RestrictionLift)
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal([AuditActions.ObjectionLift, AuditActions.RestrictionLift], lifts);

        using var a = await app.CreateClientAsync("client-a", purposes: PurposesOfA);
        var failures = new List<string>();

        // Who made the choice, and how the client of its purpose (every scope) asks to lift it.
        var choices = new (string What, Func<ConsentService, string, Task<Vault.Subjects.VaultResult<bool>>> Record, Func<string, string> Lift)[]
        {
            ("a restriction the subject made in the portal", (c, id) => c.RestrictAsync(id, "requested in the portal", Actor.Subject(id), default), id => $"/api/v1/subjects/{id}/restriction?reason=corrected"),
            ("a restriction an officer recorded", (c, id) => c.RestrictAsync(id, "asked by phone", Actor.Officer("officer-1"), default), id => $"/api/v1/subjects/{id}/restriction?reason=corrected"),
            ("an objection the subject made in the portal", (c, id) => c.ObjectAsync(id, "analytics", ChoiceSources.Portal, null, Actor.Subject(id), default), id => $"/api/v1/subjects/{id}/objections?purpose=analytics&reason=changed%20mind"),
            ("an objection an officer recorded", (c, id) => c.ObjectAsync(id, "analytics", ChoiceSources.Desk, "by letter", Actor.Officer("officer-1"), default), id => $"/api/v1/subjects/{id}/objections?purpose=analytics&reason=changed%20mind"),
            ("an objection from Global Privacy Control", (c, id) => c.ObjectAsync(id, "partner-sharing", ChoiceSources.Gpc, null, Actor.Client("client-a"), default), id => $"/api/v1/subjects/{id}/objections?purpose=partner-sharing&reason=opted%20in"),
            ("an objection to direct marketing the client itself recorded", (c, id) => c.ObjectAsync(id, "marketing-email", ChoiceSources.Api, null, Actor.Client("client-a"), default), id => $"/api/v1/subjects/{id}/objections?purpose=marketing-email&reason=opted%20in"),
        };
        foreach (var (what, record, lift) in choices)
        {
            var id = await CreateSubjectAsync(a, $"lift.{failures.Count}.{what.Length}@example.com");
            await using (var scope = app.Services.CreateAsyncScope())
            {
                Assert.Equal(Vault.Subjects.VaultOutcome.Ok, (await record(scope.ServiceProvider.GetRequiredService<ConsentService>(), id)).Outcome);
            }

            var before = Snapshot(app, id);
            using var response = await a.DeleteAsync(lift(id));
            Check(response.StatusCode == HttpStatusCode.Forbidden, failures, $"{what}: the client lifting it got {(int)response.StatusCode}");
            Check(response.Content.Headers.ContentType?.MediaType == "application/problem+json", failures, $"{what}: the refusal is not Problem Details");
            Check(Snapshot(app, id) == before, failures, $"{what}: the refused lift changed the vault");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    // Never delivered: the type is one no seed causes, and the host is not the test's.
    private static object SubscriptionOf(Seed seed) => new { url = $"https://crm.example.com/matrix/{seed.Number}", eventTypes = new[] { "purpose.version-changed" } };

    private static async Task<HttpResponseMessage> SubscribeAsync(HttpClient a, Seed seed)
    {
        var created = await a.PostAsJsonAsync("/api/v1/webhooks/subscriptions", SubscriptionOf(seed));
        Prepared[seed.Number] = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("subscription").GetProperty("id").GetString()!;
        return created;
    }

    /// <summary>Waits until an event of the seed's subject is in client A's feed and keeps its id.</summary>
    private static async Task<HttpResponseMessage> FeedEventAsync(HttpClient a, Seed seed)
    {
        while (true)
        {
            var page = await a.GetAsync("/api/v1/changes?limit=1000");
            var events = (await page.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("events").EnumerateArray();
            if (events.FirstOrDefault(e => e.GetProperty("subjectId").GetString() == seed.Id) is { ValueKind: JsonValueKind.Object } found)
            {
                Prepared[seed.Number] = found.GetProperty("id").GetString()!;
                return page;
            }

            page.Dispose();
            await Task.Delay(50);
        }
    }

    private static async Task<Seed> SeedAsync(DataVaultApplication app, HttpClient a, HttpClient d, int number, RouteCase route)
    {
        var email = $"matrix.{number}@example.com";
        var id = await CreateSubjectAsync(a, email);
        var phone = $"+34600{number:D6}";
        Assert.Equal(HttpStatusCode.OK, (await d.PatchAsJsonAsync($"/api/v1/subjects/{id}", new { fields = new { phone } })).StatusCode);
        app.Monitor.Remember(phone);
        var given = await VaultApi.RecordAsync(a, id, "marketing-email", "given");
        await VaultApi.RecordAsync(a, id, "analytics", "given");
        using var request = await a.PostAsJsonAsync("/api/v1/requests", new { type = "access", channel = "api", subjectId = id });
        Assert.Equal(HttpStatusCode.Created, request.StatusCode);
        var requestId = (await request.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("request").GetProperty("id").GetString()!;
        var seed = new Seed(number, id, email, phone, given.GetProperty("event").GetProperty("id").GetString()!, requestId);
        if (route.Setup is { } setup)
        {
            using var prepared = await setup(a, seed);
            Assert.True(prepared.IsSuccessStatusCode, $"Setting up the case answered {(int)prepared.StatusCode}.");
        }

        return seed;
    }

    private static async Task<string> CreateSubjectAsync(HttpClient a, string email)
    {
        using var created = await a.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email, given_name = Name, birth_date = BirthDate, preferred_language = "es", interests = new[] { "travel" } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Sends the request as a refused client and checks: refused with Problem Details, no value or link in the answer, nothing changed, audited and never as a success.</summary>
    private static async Task ExpectRefusedAsync(
        DataVaultApplication app, HttpClient client, string clientId, HttpRequestMessage request, Seed seed, List<string> failures, string what, HttpStatusCode[] refusals)
    {
        var before = Snapshot(app, seed.Id);
        var lastEntry = app.AuditEntries().LastOrDefault()?.Sequence ?? 0;
        var (status, body) = await SendAsync(client, request, keepProblemType: true);
        Check(refusals.Contains(status), failures, $"{what}: expected {string.Join(" or ", refusals.Select(r => (int)r))}, got {(int)status}");
        Check(body.StartsWith("problem:", StringComparison.Ordinal), failures, $"{what}: the refusal is not Problem Details");
        // A refusal does not even say the subject exists.
        Check(!Leaks(body, [.. seed.Values, seed.Id], out var leak), failures, $"{what}: the answer holds {leak}");
        CheckNoActivationLink(body, failures, what);
        Check(Snapshot(app, seed.Id) == before, failures, $"{what}: the vault changed");
        var entries = app.AuditEntries().Where(e => e.Sequence > lastEntry && e.ActorId == clientId).ToList();
        Check(entries.Count > 0 && entries.All(e => e.Outcome != AuditOutcomes.Success), failures, $"{what}: audited as [{string.Join(", ", entries.Select(e => $"{e.Action}:{e.Outcome}"))}]");
    }

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpClient client, HttpRequestMessage request, bool keepProblemType = false)
    {
        using (request)
        {
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            return (response.StatusCode, keepProblemType && response.Content.Headers.ContentType?.MediaType == "application/problem+json" ? "problem:" + body : body);
        }
    }

    /// <summary>Row counts of every table that holds a subject's data or choices, and the subject's own row: any write shows.</summary>
    /// <summary>
    /// What a refused request must not change, in one consistent read. Ciphertexts of a shredded key group are left
    /// out: an earlier erasure's purge deletes them in the background (dequeuing the group in the same transaction),
    /// so counting them would blame a refused request for that purge.
    /// </summary>
    private static string Snapshot(DataVaultApplication app, string subjectId)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = """
            SELECT (SELECT COUNT(*) FROM subjects) || '|' || (SELECT COUNT(*) FROM field_values f WHERE NOT EXISTS (SELECT 1 FROM ciphertext_purges p WHERE p.subject_id = f.subject_id AND p.key_group = f.key_group)) || '|' || (SELECT COUNT(*) FROM data_keys)
                || '|' || (SELECT COUNT(*) FROM blind_index) || '|' || (SELECT COUNT(*) FROM consent_events) || '|' || (SELECT COUNT(*) FROM objection_events)
                || '|' || (SELECT COUNT(*) FROM restriction_events) || '|' || (SELECT COUNT(*) FROM erasure_receipts) || '|' || (SELECT COUNT(*) FROM invitations)
                || '|' || (SELECT COUNT(*) FROM "AspNetUsers") || '|' || (SELECT COUNT(*) FROM requests) || '|' || (SELECT COUNT(*) FROM request_events)
                || '|' || (SELECT coalesce(group_concat(status || updated_at), '') FROM requests)
                || '|' || (SELECT status || coalesce(erased_at, '') || updated_at FROM subjects WHERE id = $id);
            """;
        command.Parameters.AddWithValue("$id", subjectId);
        return (string)command.ExecuteScalar()!;
    }

    private static bool Leaks(string body, IEnumerable<string> values, out string? leak)
    {
        leak = values.FirstOrDefault(v => body.Contains(v, StringComparison.OrdinalIgnoreCase));
        return leak is not null;
    }

    /// <summary>Finding 1: an activation link is a bearer secret for the subject's portal account; it goes to the subject's own address, never to a client.</summary>
    private static void CheckNoActivationLink(string body, List<string> failures, string what) =>
        Check(
            !body.Contains("/account/activate", StringComparison.OrdinalIgnoreCase) && !body.Contains("activationUrl", StringComparison.OrdinalIgnoreCase) && !body.Contains("token=", StringComparison.OrdinalIgnoreCase),
            failures,
            $"{what}: the answer carries an activation link or token");

    private static void Check(bool condition, List<string> failures, string failure)
    {
        if (!condition)
        {
            failures.Add(failure);
        }
    }

    private static bool IsSuccess(HttpStatusCode status) => (int)status is >= 200 and < 300;

    private static string Key(string method, string pattern) => $"{method} {pattern.TrimEnd('/')}";

    private static HttpRequestMessage Json(HttpMethod method, string path, object body) =>
        new(method, path) { Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json") };

    /// <summary>A subject client A created, with a value of a field none of A's purposes uses (the phone, written by a service-delivery client).</summary>
    private sealed record Seed(int Number, string Id, string Email, string Phone, string EventId, string RequestId)
    {
        /// <summary>The subject's values: none may reach a client refused or outside its purposes.</summary>
        public string[] Values => [Email, Name, BirthDate, Phone];
    }

    private enum BoundaryKind
    {
        Refused,
        Filtered,
        NotPurposeBound,
    }

    private sealed record Boundary(BoundaryKind Kind, string? Reason)
    {
        public static Boundary Refused { get; } = new(BoundaryKind.Refused, null);

        public static Boundary Filtered { get; } = new(BoundaryKind.Filtered, null);

        public static Boundary NotPurposeBound(string reason) => new(BoundaryKind.NotPurposeBound, reason);
    }

    /// <summary>
    /// Client A's request to a route, how far purposes bound it, and what must be in place first (as client A).
    /// <paramref name="ByContractClient"/>: the route is about a contract purpose, which only client D holds, so D makes
    /// the request for the client's own purpose.
    /// </summary>
    private sealed record RouteCase(
        Func<Seed, HttpRequestMessage> Request, Boundary Boundary, Func<HttpClient, Seed, Task<HttpResponseMessage>>? Setup = null, bool ByContractClient = false);
}
