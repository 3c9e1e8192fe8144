using System.Net;
using System.Net.Http.Json;
using DataVault.Api.Cli;
using DataVault.Testing;
using DataVault.Vault.Clients;
using static DataVault.Api.Tests.SubjectEndpointsTests;
using static DataVault.Testing.VaultApi;

namespace DataVault.Api.Tests;

/// <summary>Signed webhooks end to end: subscriptions over HTTP, deliveries to a real receiver on loopback, acknowledgements.</summary>
public sealed class WebhookEndpointsTests
{
    private const string Subscriptions = "/api/v1/webhooks/subscriptions";

    private static readonly object Profile = new { email = "itzel@example.com", given_name = "Itzel", preferred_language = "es" };

    // Plain http to the loopback receiver, retries in fractions of a second.
    private static readonly Dictionary<string, string?> Fast = new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:FirstRetryDelay"] = "00:00:00.100",
        ["Webhooks:MaxRetryDelay"] = "00:00:00.300",
        ["Webhooks:PollInterval"] = "00:00:00.100",
    };

    [Fact]
    public async Task Withdraw_SubscribedRecipient_GetsASignedConsentWithdrawnWithinOneSecond_AndItsAnswerIsAnAcknowledgement()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new DataVaultApplication(settings: Fast);
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite]);
        using var crm = await app.CreateClientAsync("crm", [Scopes.SubjectsRead, Scopes.ChangesRead], ["marketing-email"]);
        using var officer = await app.CreateClientAsync("officer", [Scopes.AuditRead]);
        var (subscription, secret) = await SubscribeAsync(app, crm, receiver.Url, ["consent.withdrawn"]);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "given");
        Assert.Contains("email", Released(await ReadAsync(crm, id, "marketing-email")));

        await RecordAsync(shop, id, "marketing-email", "withdrawn");
        var withdrawnAt = DateTimeOffset.UtcNow;
        var delivery = await receiver.NextAsync(TimeSpan.FromSeconds(10));

        Assert.True(delivery.ArrivedAt - withdrawnAt < TimeSpan.FromSeconds(1), $"Arrived {(delivery.ArrivedAt - withdrawnAt).TotalMilliseconds} ms after the withdrawal.");
        Assert.True(delivery.VerifiesWith(secret));
        Assert.Equal(("consent.withdrawn", "consent.withdrawn", id, delivery.Id), (delivery.Payload.Type, delivery.Payload.Data.Type, delivery.Payload.Data.SubjectId, delivery.Payload.Data.Id));

        // The pushed event is the feed's event, by id; the consent.given before it was not wanted.
        var feed = await crm.GetWireAsync<FeedPage>("/api/v1/changes");
        Assert.Equal(["consent.given", "consent.withdrawn"], feed.Events.Select(e => e.Type));
        Assert.Equal(delivery.Id, feed.Events[1].Id);

        // The receiver's 2xx is the recipient's acknowledgement, on record for the officer.
        await Poll.UntilAsync(() => Notifications(officer, id).Any(n => n.ClientId == "crm" && n.AcknowledgedBy == "webhook"), "the delivery is acknowledged");
        var view = await crm.GetWireAsync<SubscriptionView>($"{Subscriptions}/{subscription}");
        Assert.Equal((0, 0), (view.Pending, view.DeadLettered));
        await Poll.UntilAsync(
            () => app.AuditEntries().Any(e => e.Action == "webhook.deliver" && e.SubjectId == id && e.Outcome == "success" && e.Fields!.Contains(delivery.Id, StringComparison.Ordinal)),
            "the delivery's outcome is on the audit trail");
    }

    [Fact]
    public async Task ReceiverDownThenUp_DeliveredOnceBack_InOrder_WithoutLaterEventsOvertaking()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var down = true;
        receiver.Answer = _ => Volatile.Read(ref down) ? Unavailable : 204;
        await using var app = new DataVaultApplication(settings: Fast);
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        await SubscribeAsync(app, shop, receiver.Url, null);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "given");
        await RecordAsync(shop, id, "marketing-email", "withdrawn");
        await RecordAsync(shop, id, "marketing-email", "given");
        var feed = await shop.GetWireAsync<FeedPage>("/api/v1/changes?wait=5");
        while (feed.Events.Count < 3)
        {
            feed = feed with { Events = [.. feed.Events, .. (await shop.GetWireAsync<FeedPage>($"/api/v1/changes?wait=5&after={feed.Next}")).Events] };
        }

        // Down: the first event is retried, and nothing after it is sent meanwhile.
        var refused = new List<ReceivedWebhook>();
        for (var i = 0; i < 3; i++)
        {
            refused.Add(await receiver.NextAsync(TimeSpan.FromSeconds(10)));
        }

        Assert.All(refused, r => Assert.Equal((feed.Events[0].Id, 503), (r.Id, r.Status)));

        Volatile.Write(ref down, false);
        var accepted = new List<ReceivedWebhook>();
        while (accepted.Count < 3)
        {
            var next = await receiver.NextAsync(TimeSpan.FromSeconds(10));
            if (next.Status == 204)
            {
                accepted.Add(next);
            }
        }

        Assert.Equal(feed.Events.Select(e => e.Id), accepted.Select(a => a.Id));
        Assert.Equal(["consent.given", "consent.withdrawn", "consent.given"], accepted.Select(a => a.Payload.Type));
    }

    [Fact]
    public async Task Deliver_ReceiverThatDoesNotAnswer_HoldsUpNoApiRequest()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var gate = new ManualResetEventSlim();
        receiver.Answer = _ =>
        {
            gate.Wait(TimeSpan.FromSeconds(30));
            return 204;
        };
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>(Fast) { ["Webhooks:RequestTimeout"] = "00:01:00" });
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        await SubscribeAsync(app, shop, receiver.Url, null);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "given");
        await receiver.ArrivingAsync(TimeSpan.FromSeconds(10));

        // The delivery hangs in the receiver; writes, reads and the feed go on meanwhile.
        var meanwhile = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await RecordAsync(shop, id, "marketing-email", i % 2 == 0 ? "withdrawn" : "given");
            }

            return (await shop.GetWireAsync<FeedPage>("/api/v1/changes?limit=1000")).Events.Count;
        });
        var answered = await meanwhile.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.False(gate.IsSet);
        Assert.True(answered >= 1);

        gate.Set();
    }

    [Fact]
    public async Task HostRestartedBetweenCommitAndDelivery_DeliveredAfterTheRestart_WithTheSameEventId()
    {
        using var directory = new TempDirectory();
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => Unavailable;
        string eventId;
        await using (var before = new DataVaultApplication(settings: Fast, directory: directory))
        {
            using var shop = await before.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
            await SubscribeAsync(before, shop, receiver.Url, ["consent.withdrawn"]);
            var id = await CreateAsync(shop, Profile);
            await RecordAsync(shop, id, "marketing-email", "withdrawn");
            eventId = (await receiver.NextAsync(TimeSpan.FromSeconds(10))).Id;
        }

        receiver.Answer = _ => 200;
        await using var after = new DataVaultApplication(settings: Fast, directory: directory);
        _ = after.Services;

        ReceivedWebhook delivered;
        do
        {
            delivered = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        }
        while (delivered.Status != 200);

        Assert.Equal((eventId, "consent.withdrawn"), (delivered.Id, delivered.Payload.Type));

        // The receiver has answered; the dispatcher records the outcome right after.
        await Poll.UntilAsync(() => "delivered".Equals(Scalar(after, "SELECT state FROM webhook_deliveries;")), "the delivery is recorded as delivered");
    }

    [Fact]
    public async Task Deliver_ReceiverFailsForTheWholeRetryPeriod_DeadLettered_ThenReplayedOnceItWorks()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        receiver.Answer = _ => 500;
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>(Fast) { ["Webhooks:GiveUpAfter"] = "00:00:01" });
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        var (subscription, _) = await SubscribeAsync(app, shop, receiver.Url, null);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "withdrawn");

        await Poll.UntilAsync(() => Get<SubscriptionView>(shop, $"{Subscriptions}/{subscription}").DeadLettered == 1, "the delivery is dead-lettered");
        var dead = Assert.Single((await shop.GetWireAsync<DeliveryList>($"{Subscriptions}/{subscription}/dead-letters")).Items);
        Assert.Equal(("consent.withdrawn", 500), (dead.EventType, dead.LastStatus));
        Assert.True(dead.Attempts > 1);

        receiver.Answer = _ => 204;
        var replay = await shop.PostAsync($"{Subscriptions}/{subscription}/dead-letters/replay", null);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Equal(1, (await replay.Content.ReadWireAsync<ReplayAnswer>()).Replayed);
        ReceivedWebhook delivered;
        do
        {
            delivered = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        }
        while (delivered.Status != 204);

        Assert.Equal(dead.EventId, delivered.Id);
        Assert.Empty((await shop.GetWireAsync<DeliveryList>($"{Subscriptions}/{subscription}/dead-letters")).Items);
    }

    [Fact]
    public async Task Deliver_ReceiverAnswersGone_SubscriptionDisabled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new DataVaultApplication(settings: Fast);
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        receiver.Answer = _ => Unavailable;
        var (subscription, _) = await SubscribeAsync(app, shop, receiver.Url, null);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "given");
        await RecordAsync(shop, id, "marketing-email", "withdrawn");
        await Poll.UntilAsync(() => Get<SubscriptionView>(shop, $"{Subscriptions}/{subscription}").Pending == 2, "both events are queued");

        receiver.Answer = _ => 410;
        await Poll.UntilAsync(() => Get<SubscriptionView>(shop, $"{Subscriptions}/{subscription}").DisabledAt is not null, "the subscription is disabled");
        var view = Get<SubscriptionView>(shop, $"{Subscriptions}/{subscription}");
        Assert.Equal(("gone", 2), (view.DisabledReason, view.Pending));
        ReceivedWebhook last;
        do
        {
            last = await receiver.NextAsync(TimeSpan.FromSeconds(1));
        }
        while (last.Status != 410);
    }

    [Fact]
    public async Task RotateSecret_DuringTheOverlap_DeliveriesCarryBothSignatures_EachOneVerifies()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var app = new DataVaultApplication(settings: Fast);
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite, Scopes.ChangesRead]);
        var (subscription, old) = await SubscribeAsync(app, shop, receiver.Url, null);

        var rotation = await shop.PostAsJsonAsync($"{Subscriptions}/{subscription}/secret", new { overlapSeconds = 3600 });
        Assert.Equal(HttpStatusCode.OK, rotation.StatusCode);
        var rotated = await rotation.Content.ReadWireAsync<SecretIssued>();
        app.Monitor.Remember(rotated.Secret);
        Assert.NotEqual(old, rotated.Secret);
        Assert.NotNull(rotated.Subscription.PreviousSecretValidUntil);
        var id = await CreateAsync(shop, Profile);
        await RecordAsync(shop, id, "marketing-email", "withdrawn");
        var delivery = await receiver.NextAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(2, delivery.Signature.Split(' ').Length);
        Assert.True(delivery.VerifiesWith(rotated.Secret));
        Assert.True(delivery.VerifiesWith(old));

        // Without an overlap the old secret stops at once.
        var again = await (await shop.PostAsJsonAsync($"{Subscriptions}/{subscription}/secret", new { overlapSeconds = 0 })).Content.ReadWireAsync<SecretIssued>();
        app.Monitor.Remember(again.Secret);
        Assert.Null(again.Subscription.PreviousSecretValidUntil);
        await RecordAsync(shop, id, "marketing-email", "given");
        var next = await receiver.NextAsync(TimeSpan.FromSeconds(10));
        Assert.Single(next.Signature.Split(' '));
        Assert.True(next.VerifiesWith(again.Secret));
        Assert.False(next.VerifiesWith(rotated.Secret));
    }

    [Fact]
    public async Task Subscriptions_CreateListGetDelete_SecretShownOnce_AnotherClientsIsNotFound()
    {
        await using var app = new DataVaultApplication(settings: Fast);
        using var crm = await app.CreateClientAsync("crm", [Scopes.ChangesRead]);
        using var other = await app.CreateClientAsync("other", [Scopes.ChangesRead]);
        var (subscription, secret) = await SubscribeAsync(app, crm, "http://127.0.0.1:9/hook", ["subject.erased", "restriction.placed"]);

        var listed = await crm.GetAsync(Subscriptions);
        var body = await listed.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, body, StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", body, StringComparison.Ordinal);
        var item = Assert.Single(Wire.Parse<SubscriptionList>(body).Items);
        Assert.Equal((subscription, "crm", "http://127.0.0.1:9/hook"), (item.Id, item.ClientId, item.Url));
        Assert.Equal(["restriction.placed", "subject.erased"], item.EventTypes);

        await AssertProblemAsync(await other.GetAsync($"{Subscriptions}/{subscription}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await other.DeleteAsync($"{Subscriptions}/{subscription}"), HttpStatusCode.NotFound);
        await AssertProblemAsync(await other.PostAsJsonAsync($"{Subscriptions}/{subscription}/secret", new { }), HttpStatusCode.NotFound);
        Assert.Empty((await other.GetWireAsync<SubscriptionList>(Subscriptions)).Items);

        Assert.Equal(HttpStatusCode.NoContent, (await crm.DeleteAsync($"{Subscriptions}/{subscription}")).StatusCode);
        await AssertProblemAsync(await crm.GetAsync($"{Subscriptions}/{subscription}"), HttpStatusCode.NotFound);
        Assert.Contains(app.AuditEntries(), e => e.Action == "webhook.subscription-create" && e.ActorId == "crm" && e.Fields == subscription && e.Outcome == "success");
        Assert.Contains(app.AuditEntries(), e => e.Action == "webhook.subscription-delete" && e.ActorId == "crm" && e.Outcome == "success");
    }

    [Theory]
    [InlineData("{\"url\":\"ftp://crm.example.com/hook\"}", "url")]
    [InlineData("{\"url\":\"https://crm.example.com/hook\",\"eventTypes\":[\"consent.refused\"]}", "eventTypes")]
    [InlineData("{}", "url")]
    public async Task CreateSubscription_BadInput_ProblemDetails400(string json, string key)
    {
        await using var app = new DataVaultApplication();
        using var crm = await app.CreateClientAsync("crm", [Scopes.ChangesRead]);

        var problem = await AssertProblemAsync(
            await crm.PostAsync(Subscriptions, new StringContent(json, System.Text.Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);

        Assert.True(problem.GetProperty("errors").TryGetProperty(key, out _));
        Assert.Empty((await crm.GetWireAsync<SubscriptionList>(Subscriptions)).Items);
    }

    [Fact]
    public async Task CreateSubscription_PlainHttpOutsideDevelopment_Refused400()
    {
        await using var app = new DataVaultApplication();
        using var crm = await app.CreateClientAsync("crm", [Scopes.ChangesRead]);

        var response = await crm.PostAsJsonAsync(Subscriptions, new { url = "http://crm.example.com/hook" });
        var problem = await AssertProblemAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("Must be an https URL.", problem.GetProperty("errors").GetProperty("url")[0].GetString());
    }

    [Fact]
    public async Task Acknowledgements_PullClientAcknowledgesARestriction_NoLongerOutstanding_AndTheRecipientRouteShowsIt()
    {
        await using var app = new DataVaultApplication();
        using var shop = await app.CreateClientAsync("shop", [Scopes.SubjectsWrite, Scopes.ConsentsWrite]);
        using var crm = await app.CreateClientAsync("crm", [Scopes.SubjectsRead, Scopes.ChangesRead], ["service-delivery"]);
        using var officer = await app.CreateClientAsync("officer", [Scopes.AuditRead]);
        var id = await CreateAsync(shop, Profile);
        Assert.NotEmpty(Released(await ReadAsync(crm, id, "service-delivery")));
        Assert.Equal(HttpStatusCode.NoContent, (await shop.PostAsJsonAsync($"/api/v1/subjects/{id}/restriction", new { reason = "accuracy contested" })).StatusCode);
        var restriction = Assert.Single((await crm.GetWireAsync<FeedPage>("/api/v1/changes?wait=10")).Events);
        Assert.Equal("restriction.placed", restriction.Type);

        var outstanding = await officer.GetWireAsync<Outstanding>("/api/v1/changes/outstanding");
        Assert.Equal([("crm", restriction.Id), ("shop", restriction.Id)], outstanding.Items.Select(n => (n.ClientId, n.EventId)));

        // All or nothing: an id that is not the client's event refuses the lot.
        await AssertProblemAsync(await crm.PostAsJsonAsync("/api/v1/changes/acknowledgements", new { eventIds = new[] { restriction.Id, "evt_nope" } }), HttpStatusCode.BadRequest);
        Assert.Equal(2, (await officer.GetWireAsync<Outstanding>("/api/v1/changes/outstanding")).Items.Count);

        var acknowledged = await crm.PostAsJsonAsync("/api/v1/changes/acknowledgements", new { eventIds = new[] { restriction.Id } });
        Assert.Equal(1, (await acknowledged.Content.ReadWireAsync<AcknowledgeAnswer>()).Acknowledged);
        var twice = await crm.PostAsJsonAsync("/api/v1/changes/acknowledgements", new { eventIds = new[] { restriction.Id } });
        Assert.Equal(0, (await twice.Content.ReadWireAsync<AcknowledgeAnswer>()).Acknowledged);

        Assert.Equal(["shop"], (await officer.GetWireAsync<Outstanding>("/api/v1/changes/outstanding")).Items.Select(n => n.ClientId));
        var notices = Notifications(officer, id);
        Assert.Equal("feed", notices.Single(n => n.ClientId == "crm").AcknowledgedBy);
        Assert.Null(notices.Single(n => n.ClientId == "shop").AcknowledgedAt);
        await AssertProblemAsync(await crm.GetAsync("/api/v1/changes/outstanding"), HttpStatusCode.Forbidden);
        await AssertProblemAsync(await officer.GetAsync("/api/v1/changes/outstanding?limit=0"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task WebhooksVerbs_AddListRotateRemove_ManageSubscriptions_HttpsOnlyInProduction()
    {
        using var directory = new TempDirectory();
        var settings = new Dictionary<string, string?> { ["Vault:DataDirectory"] = directory.Path };
        Assert.Equal(0, (await RunAsync(settings, "clients", "add", "crm-eu", "--name", "EU CRM", "--scope", "changes.read")).Code);

        var (code, output, error) = await RunAsync(settings, "webhooks", "add", "crm-eu", "--url", "https://crm.example.com/hook", "--event", "subject.erased,consent.withdrawn");
        Assert.True(code == 0, error);
        var id = Line(output, "id:");
        var secret = Line(output, "secret:");
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(settings, "webhooks", "list");
        Assert.Equal(0, code);
        Assert.Contains($"{id}  crm-eu  https://crm.example.com/hook  types:consent.withdrawn,subject.erased  active", output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, output, StringComparison.Ordinal);

        (code, output, _) = await RunAsync(settings, "webhooks", "rotate", id, "--overlap-hours", "2");
        Assert.Equal(0, code);
        Assert.NotEqual(secret, Line(output, "secret:"));
        Assert.Contains("The previous secret also signs until", output, StringComparison.Ordinal);

        (code, _, error) = await RunAsync(settings, "webhooks", "add", "crm-eu", "--url", "https://192.168.0.10/hook");
        Assert.Equal(1, code);
        Assert.Contains("url: Must not point at a loopback, private or link-local address.", error, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync(settings, "webhooks", "remove", id)).Code);
        (_, output, _) = await RunAsync(settings, "webhooks", "list");
        Assert.Contains("No webhook subscriptions.", output, StringComparison.Ordinal);
        (code, _, error) = await RunAsync(settings, "webhooks", "remove", id);
        Assert.Equal((1, "No webhook subscription with this id."), (code, error.Trim()));
    }

    private const int Unavailable = 503;

    private static async Task<(string Id, string Secret)> SubscribeAsync(DataVaultApplication app, HttpClient client, string url, string[]? eventTypes)
    {
        var response = await client.PostAsJsonAsync(Subscriptions, new { url, eventTypes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadWireAsync<SecretIssued>();
        app.Monitor.Remember(created.Secret);
        Assert.Equal($"{Subscriptions}/{created.Subscription.Id}", response.Headers.Location!.OriginalString);
        return (created.Subscription.Id, created.Secret);
    }

    private static List<Notice> Notifications(HttpClient officer, string subjectId) => Get<RecipientList>(officer, $"/api/v1/subjects/{subjectId}/recipients").Notifications;

    private static T Get<T>(HttpClient client, string uri) => client.GetWireAsync<T>(uri).GetAwaiter().GetResult();

    private static string Line(string output, string label) =>
        output.Split('\n').Single(l => l.StartsWith(label, StringComparison.Ordinal))[label.Length..].Trim();

    private static async Task<(int Code, string Output, string Error)> RunAsync(Dictionary<string, string?> settings, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await AdminCli.RunAsync(args, output, error, TestKeyRing.With(settings));
        return (code, output.ToString(), error.ToString());
    }

    private sealed record FeedEvent(string Id, long Sequence, string Type, string? SubjectId);

    private sealed record FeedPage(List<FeedEvent> Events, string Next);

    private sealed record SubscriptionView(
        string Id, string ClientId, string Url, string[] EventTypes, DateTimeOffset CreatedAt, DateTimeOffset? PreviousSecretValidUntil, DateTimeOffset? DisabledAt, string? DisabledReason, int Pending, int DeadLettered);

    private sealed record SubscriptionList(List<SubscriptionView> Items);

    private sealed record SecretIssued(SubscriptionView Subscription, string Secret);

    private sealed record DeadLetter(string EventId, string EventType, int Attempts, int? LastStatus, string? LastError);

    private sealed record DeliveryList(List<DeadLetter> Items);

    private sealed record ReplayAnswer(int Replayed);

    private sealed record AcknowledgeAnswer(int Acknowledged);

    private sealed record Notice(string ClientId, string EventId, string Type, DateTimeOffset NotifiedAt, DateTimeOffset? AcknowledgedAt, string? AcknowledgedBy);

    private sealed record Outstanding(List<Notice> Items);

    private sealed record RecipientList(List<Notice> Notifications);
}
