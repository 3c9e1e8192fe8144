namespace DataVault.Client.Tests;

public sealed class ChangeOperationsTests
{
    [Fact]
    public async Task ReadChanges_AfterAWithdrawal_ReturnsItOnceAndACursorToReadOnFrom()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync(scopes: [.. ClientTestApplication.ClientScopes, "changes.read"]);
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        var given = await vault.ReadChangesAsync(wait: 10);
        Assert.Equal(["consent.given"], given.Events.Select(e => e.Type));

        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        var withdrawn = await vault.ReadChangesAsync(after: given.Next, wait: 10);
        var again = await vault.ReadChangesAsync(after: withdrawn.Next);

        var change = Assert.Single(withdrawn.Events);
        Assert.Equal(("consent.withdrawn", subjectId), (change.Type, change.SubjectId));
        Assert.Equal([TestData.MarketingEmail], change.Purposes);
        Assert.Empty(again.Events);
        Assert.Equal(withdrawn.Next, again.Next);
    }
}
