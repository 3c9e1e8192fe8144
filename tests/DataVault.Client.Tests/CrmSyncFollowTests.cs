using CrmSync.Follow;

namespace DataVault.Client.Tests;

public sealed class CrmSyncFollowTests
{
    [Fact]
    public async Task Follow_ThroughAWithdrawalAnErasureAndARectification_TheCsvStaysInStep_AndEveryChangeIsAcknowledged()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var officer = await app.CreateOfficerClientAsync();
        var ana = await TestData.CreateConsentedSubjectAsync(vault, "ana@example.com", "Ana");
        var joan = await TestData.CreateConsentedSubjectAsync(vault, "joan@example.com", "Joan");
        var itzel = await TestData.CreateConsentedSubjectAsync(vault, "itzel@example.com", "Itzel");
        using var directory = new DataVault.Testing.TempDirectory();
        var path = Path.Combine(directory.Path, "crm.csv");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var applied = new List<string>();
        void Applied(ChangeEventResponse change)
        {
            lock (applied)
            {
                applied.Add(change.Type);
            }
        }

        var following = Task.Run(() => FeedFollower.RunAsync(vault, TestData.MarketingEmail, path, Applied, stop.Token));
        await DataVault.Testing.Poll.UntilAsync(() => File.Exists(path) && Rows(path).Count == 3, "the first export is written");

        await vault.RecordConsentAsync(ana, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        await vault.EraseSubjectAsync(joan);
        await vault.RectifySubjectAsync(itzel, new RectifySubjectRequest { Fields = new Dictionary<string, object> { ["given_name"] = "Itzi" } });
        await DataVault.Testing.Poll.UntilAsync(() => { lock (applied) { return applied.Contains(ChangeEventTypes.SubjectRectified); } }, "the rectification is applied");

        var rows = Rows(path);
        Assert.Equal([itzel], rows.Keys);
        Assert.Contains("Itzi", rows[itzel]);
        Assert.DoesNotContain(rows.Values.SelectMany(cells => cells), cell => cell is "ana@example.com" or "joan@example.com" or "Itzel");

        // Acknowledged once applied: nothing this recipient was told is outstanding.
        var outstanding = await officer.ListOutstandingChangesAsync(limit: 100);
        Assert.DoesNotContain(outstanding.Items, n => n.ClientId == ClientTestApplication.Crm);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
    }

    [Fact]
    public async Task Webhook_ThroughAWithdrawalAndAnErasure_VerifiedPushesKeepTheCsvInStep_AndForgedOnesAreRefused()
    {
        await using var app = new ClientTestApplication(new Dictionary<string, string?>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:FirstRetryDelay"] = "00:00:00.100",
            ["Webhooks:MaxRetryDelay"] = "00:00:00.300",
            ["Webhooks:PollInterval"] = "00:00:00.100",
        });
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var ana = await TestData.CreateConsentedSubjectAsync(vault, "ana@example.com", "Ana");
        var joan = await TestData.CreateConsentedSubjectAsync(vault, "joan@example.com", "Joan");
        var itzel = await TestData.CreateConsentedSubjectAsync(vault, "itzel@example.com", "Itzel");
        using var directory = new DataVault.Testing.TempDirectory();
        var path = Path.Combine(directory.Path, "crm.csv");
        // The secret comes with the subscription, the subscription needs the URL: take a free port first.
        var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        probe.Start();
        var port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var subscription = await vault.CreateWebhookSubscriptionAsync(new CreateWebhookSubscriptionRequest { Url = $"http://127.0.0.1:{port}/webhook", EventTypes = [ChangeEventTypes.ConsentWithdrawn, ChangeEventTypes.SubjectErased] });
        var applied = new List<string>();
        await using var listener = await CrmSync.Follow.WebhookListener.StartAsync(
            vault, TestData.MarketingEmail, path, new WebhookVerifier(subscription.Secret), new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port),
            change => { lock (applied) { applied.Add(change.Type); } }, CancellationToken.None);
        Assert.Equal(3, Rows(path).Count);

        using var http = new HttpClient();
        using var forged = new HttpRequestMessage(HttpMethod.Post, listener.Url) { Content = new StringContent("{}") };
        forged.Headers.Add("webhook-id", "evt_forged");
        forged.Headers.Add("webhook-timestamp", DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));
        forged.Headers.Add("webhook-signature", "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, (await http.SendAsync(forged)).StatusCode);

        await vault.RecordConsentAsync(ana, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        await vault.EraseSubjectAsync(joan);
        await DataVault.Testing.Poll.UntilAsync(() => { lock (applied) { return applied.Contains(ChangeEventTypes.SubjectErased); } }, "the erasure is pushed and applied");

        Assert.Equal([itzel], Rows(path).Keys);
    }

    [Fact]
    public void TryParse_SyncFollow_SetsFollow_AndPlainArgumentsDoNot()
    {
        string[] common = ["--base-url", "http://localhost:5080", "--purpose", "marketing-email", "--output", "out.csv", "--client-id", "crm", "--client-secret", "s"];

        Assert.True(CrmSync.SyncArguments.TryParse(["sync", .. common, "--follow"], _ => null, out var following, out _));
        Assert.True(CrmSync.SyncArguments.TryParse(common, _ => null, out var once, out _));

        Assert.True(following!.Follow);
        Assert.False(once!.Follow);
    }

    private static Dictionary<string, string[]> Rows(string path) =>
        File.ReadAllText(path).Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split(','))
            .ToDictionary(cells => cells[0], cells => cells[1..], StringComparer.Ordinal);
}
