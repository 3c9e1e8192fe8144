namespace DataVault.Client.Tests;

public sealed class RetentionOperationsTests
{
    [Fact]
    public async Task EndRelationship_ThenPreviewTwoYearsLater_ListsTheSubject()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);

        var ended = await vault.EndRelationshipAsync(subjectId, new EndRelationshipRequest { PurposeId = "service-delivery", EndedAt = DateTimeOffset.UtcNow.AddMinutes(-1), Reason = "Account closed" });
        var listed = await vault.ListRelationshipEndsAsync(subjectId);
        var officer = await app.CreateOfficerClientAsync();
        var preview = await officer.PreviewRetentionAsync(DateTimeOffset.UtcNow.AddYears(3));

        Assert.Equal(("service-delivery", "Account closed"), (ended.PurposeId, ended.Reason));
        Assert.Equal([ended.Id], listed.Select(e => e.Id));
        Assert.Contains(preview.Subjects, s => s.SubjectId == subjectId);
    }
}
