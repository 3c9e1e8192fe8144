namespace DataVault.Client.Tests;

public sealed class WebhookOperationsTests
{
    [Fact]
    public async Task WebhookSubscriptions_CreateListGetRotateReplayDelete_ThroughTheGeneratedClient()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);

        var created = await vault.CreateWebhookSubscriptionAsync(new CreateWebhookSubscriptionRequest { Url = "https://crm.example.com/hook", EventTypes = ["subject.erased"] });
        var id = created.Subscription.Id;
        Assert.StartsWith("whsec_", created.Secret, StringComparison.Ordinal);
        Assert.Equal([id], (await vault.ListWebhookSubscriptionsAsync()).Items.Select(s => s.Id));
        Assert.Equal(["subject.erased"], (await vault.GetWebhookSubscriptionAsync(id)).EventTypes);

        var rotated = await vault.RotateWebhookSecretAsync(id, new RotateWebhookSecretRequest { OverlapSeconds = 60 });
        Assert.NotEqual(created.Secret, rotated.Secret);
        Assert.NotNull(rotated.Subscription.PreviousSecretValidUntil);
        Assert.Empty((await vault.ListWebhookDeadLettersAsync(id)).Items);
        Assert.Equal(0, (await vault.ReplayWebhookDeadLettersAsync(id)).Replayed);

        await vault.DeleteWebhookSubscriptionAsync(id);
        var gone = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.GetWebhookSubscriptionAsync(id));
        Assert.Equal(System.Net.HttpStatusCode.NotFound, gone.StatusCode);
    }

    [Fact]
    public async Task AcknowledgeChanges_EventsFromTheFeed_CountedOnce_AndOfficersSeeWhatIsOutstanding()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var officer = await app.CreateOfficerClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        var given = Assert.Single((await vault.ReadChangesAsync(wait: 10)).Events);

        Assert.Equal(1, (await vault.AcknowledgeChangesAsync(new AcknowledgeChangesRequest { EventIds = [given.Id] })).Acknowledged);
        Assert.Equal(0, (await vault.AcknowledgeChangesAsync(new AcknowledgeChangesRequest { EventIds = [given.Id] })).Acknowledged);

        // A consent given is not among the changes Art. 19 asks proof of; nothing is outstanding.
        Assert.DoesNotContain((await officer.ListOutstandingChangesAsync(limit: 10)).Items, n => n.SubjectId == subjectId);
    }
}
