namespace DataVault.Client.Tests;

public sealed class PurposeOperationsTests
{
    [Fact]
    public async Task ListPurposes_Catalogue_ListsEachPurposeWithFieldsAndTexts()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var purposes = await vault.ListPurposesAsync();

        var marketing = Assert.Single(purposes.Items, p => p.Id == TestData.MarketingEmail);
        Assert.Equal("consent", marketing.LawfulBasis);
        Assert.Equal(["email", "given_name", "preferred_language", "interests"], marketing.Fields);
        Assert.Equal("Marketing emails", marketing.Text["en"].Title);
        Assert.False(string.IsNullOrEmpty(marketing.Version));
    }

    [Fact]
    public async Task ListSubjectsForPurpose_PageOfTwo_ReturnsCursorForTheNextPage()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        for (var i = 0; i < 3; i++)
        {
            await TestData.CreateConsentedSubjectAsync(vault, $"person{i}@example.com", $"Person{i}");
        }

        var first = await vault.ListSubjectsForPurposeAsync(TestData.MarketingEmail, limit: 2);
        var second = await vault.ListSubjectsForPurposeAsync(TestData.MarketingEmail, first.NextCursor, 2);

        Assert.Equal(2, first.Items.Count);
        Assert.NotNull(first.NextCursor);
        Assert.Single(second.Items);
        Assert.Null(second.NextCursor);
    }

    [Fact]
    public async Task ListAllSubjectsForPurpose_SeveralPages_YieldsEachReleasedSubjectOnceWithReleasedFieldsOnly()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var consented = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            consented.Add(await TestData.CreateConsentedSubjectAsync(vault, $"person{i}@example.com", $"Person{i}"));
        }

        var notConsented = await vault.CreateSubjectAsync(TestData.Subject("nope@example.com", "Nope"));
        var withdrawn = await TestData.CreateConsentedSubjectAsync(vault, "gone@example.com", "Gone");
        await vault.RecordConsentAsync(withdrawn, TestData.Consent(TestData.MarketingEmail, "withdrawn"));

        var exported = new List<ReleasedSubjectResponse>();
        await foreach (var subject in vault.ListAllSubjectsForPurposeAsync(TestData.MarketingEmail, pageSize: 2))
        {
            exported.Add(subject);
        }

        Assert.Equal(consented.Order(StringComparer.Ordinal), exported.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(exported, s => s.Id == notConsented.Id || s.Id == withdrawn);
        Assert.All(exported, s => Assert.Equal(["email", "given_name", "interests", "preferred_language"], s.Fields.Keys.Order(StringComparer.Ordinal)));
    }

    [Fact]
    public async Task ListAllSubjectsForPurpose_CancelledAfterFirstItem_StopsBeforeTheNextPage()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        for (var i = 0; i < 3; i++)
        {
            await TestData.CreateConsentedSubjectAsync(vault, $"person{i}@example.com", $"Person{i}");
        }

        using var cancellation = new CancellationTokenSource();
        var read = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var _ in vault.ListAllSubjectsForPurposeAsync(TestData.MarketingEmail, pageSize: 1, cancellation.Token))
            {
                read++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, read);
    }
}
