namespace DataVault.Client.Tests;

public sealed class ChangeFeedStreamingTests
{
    [Fact]
    public async Task ReadAllChanges_AcrossSmallPages_EveryEventOnceInOrder_AndTheLastCursorResumesAfterThem()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var first = await TestData.CreateConsentedSubjectAsync(vault);
        var second = await TestData.CreateConsentedSubjectAsync(vault, "joan.puig@example.com", "Joan");
        await vault.RecordConsentAsync(first, TestData.Consent(TestData.MarketingEmail, "withdrawn"));

        var items = await vault.ReadAllChangesAsync(pageSize: 2).ToListAsync();

        Assert.Equal(
            [(ChangeEventTypes.ConsentGiven, first), (ChangeEventTypes.ConsentGiven, second), (ChangeEventTypes.ConsentWithdrawn, first)],
            items.Select(i => (i.Change.Type, i.Change.SubjectId!)));
        Assert.Equal(items.Select(i => i.Change.Sequence).Order(), items.Select(i => i.Change.Sequence));

        // Mid-page the cursor is the page's start (re-reads, never skips); past a page's end it moves on.
        Assert.Null(items[0].Cursor);
        Assert.NotNull(items[1].Cursor);
        Assert.Equal([ChangeEventTypes.ConsentWithdrawn], await vault.ReadAllChangesAsync(items[1].Cursor).Select(i => i.Change.Type).ToListAsync());
        Assert.Empty(await vault.ReadAllChangesAsync(items[2].Cursor).ToListAsync());
    }

    [Fact]
    public async Task ReadAllChanges_Following_WaitsForTheNextChange_UntilCancelled()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var seen = new List<string>();

        var following = Task.Run(async () =>
        {
            await foreach (var item in vault.ReadAllChangesAsync(follow: true, waitSeconds: 1, cancellationToken: stop.Token))
            {
                lock (seen)
                {
                    seen.Add(item.Change.Type);
                }
            }
        });
        await DataVault.Testing.Poll.UntilAsync(() => { lock (seen) { return seen.Count == 1; } }, "the consent given is read");

        // Longer than one long-poll: the enumeration keeps waiting rather than ending when caught up.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        await DataVault.Testing.Poll.UntilAsync(() => { lock (seen) { return seen.Count == 2; } }, "the withdrawal is read while following");
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => following);
        Assert.Equal([ChangeEventTypes.ConsentGiven, ChangeEventTypes.ConsentWithdrawn], seen);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(31)]
    public async Task ReadAllChanges_WaitOutOfRange_RefusedBeforeAnyRequest(int wait)
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await vault.ReadAllChangesAsync(follow: true, waitSeconds: wait).ToListAsync());
    }
}
