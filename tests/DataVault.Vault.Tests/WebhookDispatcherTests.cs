using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using DataVault.Vault.Webhooks;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>The dispatcher's timing on a clock the test moves: Retry-After, backoff with jitter, giving up.</summary>
public sealed class WebhookDispatcherTests
{
    [Fact]
    public async Task DeliverDue_RetryAfterHonoured_ThenBackoffWithJitter_ThenDeadLetteredOnceTheGiveUpPeriodIsOver()
    {
        using var receiver = new Receiver();
        var settings = new Dictionary<string, string?>(WebhookOutboxTests.LoopbackSettings)
        {
            ["Webhooks:GiveUpAfter"] = "01:00:00",
            ["Webhooks:FirstRetryDelay"] = "00:00:10",
        };
        await using var vault = await TestVault.StartAsync(settings: settings);
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.SubjectsWrite, Scopes.ChangesRead], ["service-delivery"]);
        var subscriptions = vault.Services.GetRequiredService<WebhookSubscriptions>();
        var subscription = (await subscriptions.CreateAsync("shop", receiver.Url, null, CancellationToken.None)).Value!.Subscription.Id;
        await WithdrawnAsync(vault);
        var dispatcher = vault.Services.GetRequiredService<WebhookDispatcher>();

        // 503 with Retry-After: 120 seconds. The next attempt is due exactly then, not at the backoff's 10 seconds.
        receiver.Answers.Enqueue((503, "120"));
        var start = vault.Time.GetUtcNow();
        Assert.Equal(start + TimeSpan.FromSeconds(120), await dispatcher.DeliverDueAsync(CancellationToken.None));
        vault.Time.Advance(TimeSpan.FromSeconds(119));
        await dispatcher.DeliverDueAsync(CancellationToken.None);
        Assert.Equal(1, receiver.Count);

        // Attempt 2 fails without Retry-After: 10 s doubled once, less up to half of it.
        vault.Time.Advance(TimeSpan.FromSeconds(1));
        receiver.Answers.Enqueue((500, null));
        var next = await dispatcher.DeliverDueAsync(CancellationToken.None) - vault.Time.GetUtcNow();
        Assert.Equal(2, receiver.Count);
        Assert.InRange(next!.Value, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20));

        // Past the give-up period: one last attempt, then the delivery is dead-lettered and nothing is due.
        vault.Time.Advance(TimeSpan.FromHours(1));
        receiver.Answers.Enqueue((500, null));
        Assert.Null(await dispatcher.DeliverDueAsync(CancellationToken.None));
        Assert.Equal(3, receiver.Count);
        var dead = Assert.Single(subscriptions.DeadLetters("shop", subscription).Value!);
        Assert.Equal((ChangeTypes.ConsentWithdrawn, 3, 500), (dead.EventType, dead.Attempts, dead.LastStatus));
        Assert.Equal([(subscription, ChangeTypes.ConsentWithdrawn, "dead")], WebhookOutboxTests.Deliveries(vault));
    }

    [Fact]
    public async Task DeliverDue_HostResolvingToAPrivateAddress_RefusedWithoutSending()
    {
        using var receiver = new Receiver();
        await using var vault = await TestVault.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:AllowHttp"] = "true" });
        await ChangeRoutingTests.AddClientAsync(vault, "shop", [Scopes.SubjectsWrite, Scopes.ChangesRead], ["service-delivery"]);
        var subscriptions = vault.Services.GetRequiredService<WebhookSubscriptions>();

        // A name is accepted when subscribed; that it resolves to this machine's own network is found when connecting.
        var host = Dns.GetHostName();
        Assert.All(await Dns.GetHostAddressesAsync(host), address => Assert.False(WebhookTargets.IsPublic(address)));
        var subscription = (await subscriptions.CreateAsync("shop", receiver.Url.Replace("127.0.0.1", host, StringComparison.Ordinal), null, CancellationToken.None)).Value!.Subscription.Id;
        await WithdrawnAsync(vault);
        await vault.Services.GetRequiredService<WebhookDispatcher>().DeliverDueAsync(CancellationToken.None);

        Assert.Equal(0, receiver.Count);
        Assert.Equal(1, subscriptions.Get("shop", subscription).Value!.Pending);
        using var connection = vault.OpenDatabase();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT last_error FROM webhook_deliveries;";
        Assert.Equal("refused-address", command.ExecuteScalar());
    }

    private static async Task WithdrawnAsync(TestVault vault)
    {
        string subjectId;
        await using (var scope = vault.Scope())
        {
            subjectId = (await scope.ServiceProvider.GetRequiredService<SubjectService>()
                .CreateAsync(RetentionServiceTests.Fields(("email", "someone@example.com")), CancellationToken.None)).Value!.Id;
            await vault.Services.GetRequiredService<AuditWriter>().WriteAsync(
                new AuditRecord(AuditActors.Client, "shop", AuditActions.SubjectCreate, AuditOutcomes.Success, subjectId, null, "email"), CancellationToken.None);
            var recorded = await scope.ServiceProvider.GetRequiredService<ConsentService>().RecordAsync(
                subjectId, new RecordConsentCommand("marketing-email", "withdrawn", null, null, CollectionMethods.Api, "en", null, Actor.Client("shop")), CancellationToken.None);
            Assert.Equal(VaultOutcome.Ok, recorded.Outcome);
        }

        Assert.Equal(1, await vault.Services.GetRequiredService<ChangeRouter>().RouteDueAsync(CancellationToken.None));
    }

    /// <summary>A real HTTP receiver on a loopback port (HttpListener), answering each delivery with the next queued status and Retry-After.</summary>
    private sealed class Receiver : IDisposable
    {
        private readonly HttpListener _listener = new();
        private int _count;

        public Receiver()
        {
            using (var probe = new TcpListener(IPAddress.Loopback, 0))
            {
                probe.Start();
                Url = $"http://127.0.0.1:{((IPEndPoint)probe.LocalEndpoint).Port}/hook/";
                probe.Stop();
            }

            _listener.Prefixes.Add(Url);
            _listener.Start();
            _ = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public ConcurrentQueue<(int Status, string? RetryAfter)> Answers { get; } = new();

        public int Count => Volatile.Read(ref _count);

        public void Dispose() => _listener.Close();

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception exception) when (exception is HttpListenerException or ObjectDisposedException)
                {
                    return;
                }

                Interlocked.Increment(ref _count);
                var (status, retryAfter) = Answers.TryDequeue(out var answer) ? answer : (204, null);
                context.Response.StatusCode = status;
                if (retryAfter is not null)
                {
                    context.Response.Headers["Retry-After"] = retryAfter;
                }

                context.Response.Close();
            }
        }
    }
}
