namespace DataVault.Client.Tests;

public sealed class ConsentOperationsTests
{
    [Fact]
    public async Task RecordConsent_Given_ReturnsSignedReceiptAndReleasesPurposeFields()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var before = await vault.GetSubjectForPurposeAsync(subject.Id, TestData.MarketingEmail);

        var receipt = await vault.RecordConsentAsync(subject.Id, TestData.Consent(TestData.MarketingEmail));
        var after = await vault.GetSubjectForPurposeAsync(subject.Id, TestData.MarketingEmail);

        Assert.Empty(before.Fields);
        Assert.Contains(before.Withheld, w => w.Field == "email" && w.Reason == WithheldReason.NoConsent);
        Assert.Equal(ConsentState.Given, receipt.Event.State);
        Assert.Equal(subject.Id, receipt.Event.SubjectId);
        Assert.Equal("client", receipt.Event.Actor.Type);
        Assert.Equal(3, receipt.Receipt.Split('.').Length);
        Assert.Equal("ana.garcia@example.com", after.Fields["email"].GetText());
        Assert.Equal(["books", "travel"], after.Fields["interests"].GetValues());
        Assert.DoesNotContain("phone", after.Fields.Keys);
    }

    [Fact]
    public async Task RecordConsent_Withdrawn_NextReadWithholdsTheFields()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        Assert.Contains("email", (await vault.GetSubjectForPurposeAsync(subjectId, TestData.MarketingEmail)).Fields.Keys);

        // GDPR Art. 7(3): withdrawal takes effect for the very next read.
        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.MarketingEmail, "withdrawn"));
        var read = await vault.GetSubjectForPurposeAsync(subjectId, TestData.MarketingEmail);

        Assert.Empty(read.Fields);
        Assert.Contains(read.Withheld, w => w.Field == "email" && w.Reason == WithheldReason.NoConsent);
    }

    [Fact]
    public async Task GetConsentState_NowAndBeforeConsent_AnswersForEachInstant()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var beforeConsent = DateTimeOffset.UtcNow.AddSeconds(-1);
        await vault.RecordConsentAsync(subject.Id, TestData.Consent(TestData.MarketingEmail));

        var now = await vault.GetConsentStateAsync(subject.Id);
        var then = await vault.GetConsentStateAsync(subject.Id, beforeConsent);

        var marketing = Assert.Single(now.Purposes, p => p.PurposeId == TestData.MarketingEmail);
        Assert.Equal(EffectiveConsent.Given, marketing.State);
        Assert.Equal(ConsentState.Given, marketing.LatestEvent!.State);
        Assert.False(now.Restricted);
        Assert.Equal(EffectiveConsent.None, Assert.Single(then.Purposes, p => p.PurposeId == TestData.MarketingEmail).State);
    }

    [Fact]
    public async Task GetConsentHistory_GivenThenWithdrawn_ListsBothOldestFirst()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.MarketingEmail, "withdrawn"));

        var history = await vault.GetConsentHistoryAsync(subjectId);

        Assert.Equal(subjectId, history.SubjectId);
        Assert.Equal([ConsentState.Given, ConsentState.Withdrawn], history.Events.Select(e => e.State));
        Assert.Equal("signup-form-v3", history.Events[0].Evidence);
    }

    [Fact]
    public async Task GetConsentReceipt_RecordedEvent_ReturnsFreshSignedReceipt()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var recorded = await vault.RecordConsentAsync(subject.Id, TestData.Consent(TestData.MarketingEmail));

        var receipt = await vault.GetConsentReceiptAsync(subject.Id, recorded.Event.Id);

        Assert.Equal(recorded.Event.Id, receipt.Event.Id);
        Assert.Equal(3, receipt.Receipt.Split('.').Length);
    }

    [Fact]
    public async Task RecordObjection_ToDirectMarketing_WithholdsAndNoClientLiftsIt()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);

        await vault.RecordObjectionAsync(subjectId, new ObjectionRequest { PurposeId = TestData.MarketingEmail, Reason = "asked by phone" });
        var objected = await vault.GetSubjectForPurposeAsync(subjectId, TestData.MarketingEmail);
        var state = await vault.GetConsentStateAsync(subjectId);
        var refused = await Assert.ThrowsAsync<DataVaultProblemException<ProblemDetails>>(
            () => vault.LiftObjectionAsync(subjectId, "customer changed their mind", TestData.MarketingEmail));

        Assert.Empty(objected.Fields);
        Assert.Contains(objected.Withheld, w => w.Field == "email" && w.Reason == WithheldReason.Objected);
        Assert.True(Assert.Single(state.Purposes, p => p.PurposeId == TestData.MarketingEmail).Objected);
        Assert.Equal(403, refused.Status);
        Assert.Contains("Art. 21(3)", refused.Result.Detail, StringComparison.Ordinal);
        Assert.Empty((await vault.GetSubjectForPurposeAsync(subjectId, TestData.MarketingEmail)).Fields);
    }

    [Fact]
    public async Task RecordObjection_ToAnotherPurpose_TheClientThatRecordedItLiftsItWithAReason()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subjectId = await TestData.CreateConsentedSubjectAsync(vault);
        await vault.RecordConsentAsync(subjectId, TestData.Consent(TestData.Analytics));

        await vault.RecordObjectionAsync(subjectId, new ObjectionRequest { PurposeId = TestData.Analytics });
        var objected = await vault.GetSubjectForPurposeAsync(subjectId, TestData.Analytics);
        await vault.LiftObjectionAsync(subjectId, "withdrawn by phone", TestData.Analytics);
        var lifted = await vault.GetSubjectForPurposeAsync(subjectId, TestData.Analytics);

        Assert.Empty(objected.Fields);
        Assert.Contains("interests", lifted.Fields.Keys);
    }

    [Fact]
    public async Task RecordConsent_CollectedBeforeTheSubjectWasCreated_OnlyAsAnImportWithEvidence()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var earlier = subject.CreatedAt.AddDays(-90);

        var refused = await Assert.ThrowsAsync<DataVaultProblemException<HttpValidationProblemDetails>>(() => vault.RecordConsentAsync(
            subject.Id, new RecordConsentRequest { PurposeId = TestData.MarketingEmail, State = "given", NoticeLanguage = "es", OccurredAt = earlier }));
        var imported = await vault.RecordConsentAsync(subject.Id, new RecordConsentRequest
        {
            PurposeId = TestData.MarketingEmail,
            State = "given",
            NoticeLanguage = "es",
            OccurredAt = earlier,
            CollectionMethod = "import",
            Evidence = "legacy CRM export, row 4411",
        });

        Assert.Equal(400, refused.Status);
        Assert.True(refused.Result.Errors.ContainsKey("occurredAt"));
        Assert.True(imported.Event.Imported);
        Assert.Equal(earlier, imported.Event.OccurredAt);
        Assert.True((await vault.GetConsentHistoryAsync(subject.Id)).Events.Single().Imported);
    }

    [Fact]
    public async Task RestrictProcessing_ThenLift_WithholdsEverythingUntilLifted()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());

        await vault.RestrictProcessingAsync(subject.Id, new RestrictionRequest { Reason = "accuracy contested" });
        var restricted = await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);
        var state = await vault.GetConsentStateAsync(subject.Id);
        await vault.LiftRestrictionAsync(subject.Id, "accuracy verified");
        var lifted = await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);

        Assert.Empty(restricted.Fields);
        Assert.All(restricted.Withheld, w => Assert.Equal(WithheldReason.Restricted, w.Reason));
        Assert.True(state.Restricted);
        Assert.Equal("ana.garcia@example.com", lifted.Fields["email"].GetText());
    }
}
