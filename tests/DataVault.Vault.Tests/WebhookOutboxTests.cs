using System.Text;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>The webhook outbox below the API: signatures, deliveries queued with routing, subscriptions' rules.</summary>
public sealed class WebhookOutboxTests
{
    internal static readonly Dictionary<string, string?> LoopbackSettings = new()
    {
        ["Webhooks:AllowHttp"] = "true",
        ["Webhooks:AllowPrivateNetworks"] = "true",
    };

    [Fact]
    public void Sign_StandardWebhooksPublishedVector_MatchesItsSignature()
    {
        // The example of the Standard Webhooks specification (spec/standard-webhooks.md, "Signature scheme").
        Assert.True(WebhookSecret.TryParse("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", out var secret));

        var signature = secret!.Sign("msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, Encoding.UTF8.GetBytes("{\"test\": 2432232314}"));

        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
        Assert.Equal("whsec_…", secret.ToString());
    }

    [Fact]
    public void TryParse_NotBase64_False()
    {
        Assert.False(WebhookSecret.TryParse("whsec_not base64!", out _));
        Assert.False(WebhookSecret.TryParse("whsec_", out _));
    }

    [Fact]
    public async Task RouteDue_RecipientWithSubscriptions_QueuesOneDeliveryPerSubscriptionWantingTheType()
    {
        await using var vault = await TestVault.StartAsync(settings: LoopbackSettings);
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.SubjectsWrite, Scopes.ChangesRead], ["service-delivery"]);
        var subscriptions = vault.Services.GetRequiredService<WebhookSubscriptions>();
        var all = await subscriptions.CreateAsync("shop", "http://127.0.0.1:9/all", null, CancellationToken.None);
        var given = await subscriptions.CreateAsync("shop", "http://127.0.0.1:9/given", [ChangeTypes.ConsentGiven], CancellationToken.None);
        Assert.Equal((VaultOutcome.Ok, VaultOutcome.Ok), (all.Outcome, given.Outcome));
        Assert.StartsWith(WebhookSecret.Prefix, all.Value!.Secret, StringComparison.Ordinal);
        var subjectId = await NewSubjectAsync(vault, "shop");
        await RecordAsync(vault, subjectId, "withdrawn");

        Assert.Equal(1, await vault.Services.GetRequiredService<ChangeRouter>().RouteDueAsync(CancellationToken.None));

        Assert.Equal([(all.Value.Subscription.Id, ChangeTypes.ConsentWithdrawn, "pending")], Deliveries(vault));
        Assert.Equal(1, subscriptions.Get("shop", all.Value.Subscription.Id).Value!.Pending);
        Assert.Equal(VaultOutcome.NotFound, subscriptions.Get("someone-else", all.Value.Subscription.Id).Outcome);
    }

    [Fact]
    public async Task RouteDue_RoutingRollsBack_NoDeliveryQueuedEither()
    {
        await using var vault = await TestVault.StartAsync(settings: LoopbackSettings);
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.SubjectsWrite, Scopes.ChangesRead], ["service-delivery"]);
        Assert.Equal(VaultOutcome.Ok, (await vault.Services.GetRequiredService<WebhookSubscriptions>().CreateAsync("shop", "http://127.0.0.1:9/", null, CancellationToken.None)).Outcome);
        var subjectId = await NewSubjectAsync(vault, "shop");
        await RecordAsync(vault, subjectId, "withdrawn");
        Execute(vault, "CREATE TRIGGER fail_routing BEFORE UPDATE OF routing ON change_events BEGIN SELECT RAISE(ABORT, 'routing refused'); END;");
        var router = vault.Services.GetRequiredService<ChangeRouter>();

        // The routing write fails after its recipients and deliveries were inserted: none of them stays.
        await Assert.ThrowsAsync<SqliteException>(() => router.RouteDueAsync(CancellationToken.None));
        Assert.Empty(ChangeRoutingTests.Routed(vault));
        Assert.Empty(Deliveries(vault));

        Execute(vault, "DROP TRIGGER fail_routing;");
        Assert.Equal(1, await router.RouteDueAsync(CancellationToken.None));
        Assert.Single(ChangeRoutingTests.Routed(vault));
        Assert.Single(Deliveries(vault));
    }

    [Theory]
    [InlineData("http://crm.example.com/hook", "url")]
    [InlineData("https://127.0.0.1/hook", "url")]
    [InlineData("https://10.1.2.3/hook", "url")]
    [InlineData("https://169.254.169.254/latest/meta-data", "url")]
    [InlineData("https://[::1]/hook", "url")]
    [InlineData("https://localhost/hook", "url")]
    [InlineData("https://user:pw@crm.example.com/hook", "url")]
    [InlineData("/relative", "url")]
    public async Task Create_UrlOutsideTheRules_Invalid(string url, string key)
    {
        await using var vault = await TestVault.StartAsync();
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.ChangesRead], ["service-delivery"]);

        var created = await vault.Services.GetRequiredService<WebhookSubscriptions>().CreateAsync("shop", url, null, CancellationToken.None);

        Assert.Equal(VaultOutcome.Invalid, created.Outcome);
        Assert.Contains(key, created.Errors.Keys);
    }

    [Fact]
    public async Task Create_PublicHttpsUrlAndKnownTypes_Ok_ButUnknownTypeInvalid()
    {
        await using var vault = await TestVault.StartAsync();
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.ChangesRead], ["service-delivery"]);
        var subscriptions = vault.Services.GetRequiredService<WebhookSubscriptions>();

        Assert.Equal(VaultOutcome.Ok, (await subscriptions.CreateAsync("shop", "https://crm.example.com/hook", [ChangeTypes.SubjectErased], CancellationToken.None)).Outcome);
        Assert.Contains("eventTypes", (await subscriptions.CreateAsync("shop", "https://crm.example.com/hook", ["consent.refused"], CancellationToken.None)).Errors.Keys);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("192.168.1.1", false)]
    [InlineData("172.20.0.1", false)]
    [InlineData("100.64.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("fe80::1", false)]
    [InlineData("fd00::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("192.0.2.2", false)]
    [InlineData("198.51.100.7", false)]
    [InlineData("203.0.113.9", false)]
    [InlineData("2001:db8::1", false)]
    public void IsPublic_Addresses(string address, bool expected)
    {
        Assert.Equal(expected, WebhookTargets.IsPublic(System.Net.IPAddress.Parse(address)));
    }

    internal static List<(string SubscriptionId, string Type, string State)> Deliveries(TestVault vault)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT d.subscription_id, e.type, d.state FROM webhook_deliveries d JOIN change_events e ON e.sequence = d.sequence ORDER BY d.id;";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }

        return rows;
    }

    private static void Execute(TestVault vault, string sql)
    {
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static async Task<string> NewSubjectAsync(TestVault vault, string provider)
    {
        await using var scope = vault.Scope();
        var created = await scope.ServiceProvider.GetRequiredService<SubjectService>()
            .CreateAsync(RetentionServiceTests.Fields(("email", "someone@example.com")), CancellationToken.None);
        await vault.Services.GetRequiredService<AuditWriter>().WriteAsync(
            new AuditRecord(AuditActors.Client, provider, AuditActions.SubjectCreate, AuditOutcomes.Success, created.Value!.Id, null, "email"), CancellationToken.None);
        return created.Value!.Id;
    }

    private static async Task RecordAsync(TestVault vault, string subjectId, string state)
    {
        await using var scope = vault.Scope();
        var recorded = await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
            subjectId, new RecordConsentCommand("marketing-email", state, null, null, CollectionMethods.Api, "en", null, Actor.Client("shop")), CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
    }
}
