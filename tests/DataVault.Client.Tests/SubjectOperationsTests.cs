namespace DataVault.Client.Tests;

public sealed class SubjectOperationsTests
{
    [Fact]
    public async Task CreateSubject_ValidFields_ReturnsVersionsWithoutValues()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var created = await vault.CreateSubjectAsync(TestData.Subject());

        Assert.False(string.IsNullOrEmpty(created.Id));
        Assert.Equal("active", created.Status);
        Assert.Equal(1, created.Fields["email"].Version);
        Assert.Equal(1, created.Fields["interests"].Version);
    }

    [Fact]
    public async Task GetSubject_ContractPurpose_ReleasesOnlyThePurposesFields()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());

        var read = await vault.GetSubjectForPurposeAsync(created.Id, TestData.ServiceDelivery);

        Assert.Equal(created.Id, read.Id);
        Assert.Equal(TestData.ServiceDelivery, read.PurposeId);
        Assert.Equal("ana.garcia@example.com", read.Fields["email"].GetText());
        Assert.Equal("García", read.Fields["family_name"].GetText());
        Assert.DoesNotContain("interests", read.Fields.Keys);
        Assert.Contains(read.Withheld, w => w.Field == "interests" && w.Reason == WithheldReason.NotInPurpose);
    }

    [Fact]
    public async Task RectifySubject_NewEmail_AddsVersionAndReadReturnsIt()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());

        var rectified = await vault.RectifySubjectAsync(created.Id, new RectifySubjectRequest
        {
            Fields = new Dictionary<string, object> { ["email"] = "ana.g@example.org" },
        });
        var read = await vault.GetSubjectForPurposeAsync(created.Id, TestData.ServiceDelivery);

        Assert.Equal(2, rectified.Fields["email"].Version);
        Assert.Equal(1, rectified.Fields["given_name"].Version);
        Assert.Equal("ana.g@example.org", read.Fields["email"].GetText());
        Assert.Equal(2, read.Fields["email"].Version);
    }

    [Fact]
    public async Task FindSubjects_ByEmailOrPhone_FindsTheSubject()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());
        await vault.CreateSubjectAsync(TestData.Subject("otro@example.com", "Otro"));

        var byEmail = await vault.FindSubjectsAsync(email: "ANA.GARCIA@example.com", purpose: TestData.ServiceDelivery);
        var byPhone = await vault.FindSubjectsAsync(phone: "+34600123456", purpose: TestData.ServiceDelivery);
        var none = await vault.FindSubjectsAsync(email: "nobody@example.com", purpose: TestData.ServiceDelivery);

        Assert.Equal(created.Id, Assert.Single(byEmail.Items).Id);
        Assert.Contains(byPhone.Items, s => s.Id == created.Id);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task EraseSubject_ThenRead_ThrowsTypedGone()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());

        var receipt = await vault.EraseSubjectAsync(created.Id);
        var gone = await Assert.ThrowsAsync<DataVaultProblemException<ProblemDetails>>(() => vault.GetSubjectForPurposeAsync(created.Id, TestData.ServiceDelivery));

        Assert.Equal(created.Id, receipt.SubjectId);
        Assert.Contains("standard", receipt.ShreddedKeyGroups);
        Assert.Equal(410, gone.Status);
        Assert.Equal("Subject erased", gone.Title);
        Assert.Equal(410, gone.Result.Status);
        Assert.Empty((await vault.FindSubjectsAsync(email: "ana.garcia@example.com", purpose: TestData.ServiceDelivery)).Items);
    }

    [Fact]
    public async Task CreateInvitation_SubjectWithEmail_SaysWhereTheVaultSentTheLinkButNotTheLink()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());

        var invitation = await vault.CreateInvitationAsync(created.Id);

        Assert.Equal("a***@example.com", invitation.SentTo);
        Assert.True(invitation.ExpiresAt > DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task CreateInvitation_WithoutTheInviteScope_ThrowsTypedForbidden()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync("crm-writer", ["subjects.read", "subjects.write"]);
        var created = await vault.CreateSubjectAsync(TestData.Subject());

        var refused = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.CreateInvitationAsync(created.Id));

        Assert.Equal(403, refused.Status);
    }

    [Fact]
    public async Task CreateInvitation_SubjectWithoutEmail_ThrowsTypedConflict()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(new CreateSubjectRequest { Fields = new Dictionary<string, object> { ["given_name"] = "Ana" } });

        var refused = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.CreateInvitationAsync(created.Id));

        Assert.Equal(409, refused.Status);
        Assert.Equal("No e-mail address on record", refused.Title);
    }

    [Fact]
    public async Task CreateInvitation_ErasedSubject_ThrowsTypedGone()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var created = await vault.CreateSubjectAsync(TestData.Subject());
        await vault.EraseSubjectAsync(created.Id);

        var gone = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.CreateInvitationAsync(created.Id));

        Assert.Equal(410, gone.Status);
    }
}
