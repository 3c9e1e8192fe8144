namespace DataVault.Client.Tests;

public sealed class AuditOperationsTests
{
    [Fact]
    public async Task SearchAudit_ByActionAndSubject_FindsTheReadNewestFirst()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var officer = await app.CreateOfficerClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);

        var page = await officer.SearchAuditAsync(subject: subject.Id, action: "subject.read", from: DateTimeOffset.UtcNow.AddMinutes(-5));

        var entry = Assert.Single(page.Items);
        Assert.Equal(ClientTestApplication.Crm, entry.ActorId);
        Assert.Equal(TestData.ServiceDelivery, entry.PurposeId);
        Assert.Equal("success", entry.Outcome);
        Assert.DoesNotContain("ana.garcia", entry.Fields ?? string.Empty, StringComparison.Ordinal);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public async Task ListSubjectRecipients_AfterCreateAndRead_NamesTheClientAsProviderAndRecipient()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var officer = await app.CreateOfficerClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var read = await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);

        var recipients = await officer.ListSubjectRecipientsAsync(subject.Id);

        Assert.Equal([(string?)null, TestData.ServiceDelivery], recipients.Items.Select(r => r.PurposeId));
        Assert.All(recipients.Items, r => Assert.Equal(ClientTestApplication.Crm, r.ClientId));
        Assert.True(recipients.Items[0].Provided);
        Assert.Equal(read.Fields.Keys.Order(StringComparer.Ordinal), recipients.Items[1].Fields);
    }

    [Fact]
    public async Task SearchAllAudit_PagesOfTwo_YieldsTheSameEntriesAsOneLargePage()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var officer = await app.CreateOfficerClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        for (var i = 0; i < 4; i++)
        {
            await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);
        }

        var all = await officer.SearchAuditAsync(subject: subject.Id, limit: 500);
        var paged = new List<long>();
        await foreach (var entry in officer.SearchAllAuditAsync(subject: subject.Id, pageSize: 2))
        {
            paged.Add(entry.Sequence);
        }

        Assert.True(all.Items.Count >= 5);
        Assert.Equal(all.Items.Select(e => e.Sequence), paged);
        Assert.Equal(paged.OrderDescending(), paged);
    }

    [Fact]
    public async Task ExportAudit_JsonLinesAndCsv_Succeed()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var officer = await app.CreateOfficerClientAsync();
        await vault.CreateSubjectAsync(TestData.Subject());

        // The contract declares no body for 200 yet, so the generated method returns no content (see the SDK README).
        await officer.ExportAuditAsync(actor: ClientTestApplication.Crm);
        await officer.ExportAuditAsync(actor: ClientTestApplication.Crm, format: "csv");
        var invalid = await Assert.ThrowsAsync<DataVaultProblemException<HttpValidationProblemDetails>>(() => officer.ExportAuditAsync(format: "xml"));

        Assert.Equal(400, invalid.Status);
        Assert.Contains("format", invalid.Errors.Keys);
    }

    [Fact]
    public async Task VerifyAudit_WithExportedCheckpoints_ReportsValidChain()
    {
        await using var app = new ClientTestApplication(new Dictionary<string, string?> { ["Audit:CheckpointEveryEntries"] = "3" });
        var vault = await app.CreateVaultClientAsync();
        var officer = await app.CreateOfficerClientAsync();
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        for (var i = 0; i < 6; i++)
        {
            await vault.GetSubjectForPurposeAsync(subject.Id, TestData.ServiceDelivery);
        }

        var checkpoints = await WaitForCheckpointsAsync(officer);
        var verification = await officer.VerifyAuditAsync(new AuditVerificationRequest { Checkpoints = checkpoints });
        var alone = await officer.VerifyAuditAsync();

        Assert.NotEmpty(checkpoints);
        Assert.All(checkpoints, c => Assert.Equal(3, c.Signature.Split('.').Length));
        Assert.True(verification.Valid, verification.Problem);
        Assert.Null(verification.FirstBadSequence);
        Assert.True(verification.Entries >= 7);
        Assert.True(verification.Checkpoints >= checkpoints.Count);
        Assert.True(alone.Valid, alone.Problem);
    }

    [Fact]
    public async Task SearchAudit_ClientWithoutAuditScope_ThrowsForbidden()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();

        var denied = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => vault.SearchAuditAsync());

        Assert.Equal(403, denied.Status);
    }

    /// <summary>Checkpoints are signed by the audit writer after its batch commits; give it a moment.</summary>
    private static async Task<IList<AuditCheckpointResponse>> WaitForCheckpointsAsync(DataVaultApiClient officer)
    {
        for (var attempt = 0; ; attempt++)
        {
            var checkpoints = await officer.ListAuditCheckpointsAsync();
            if (checkpoints.Count > 0 || attempt == 50)
            {
                return checkpoints;
            }

            await Task.Delay(100);
        }
    }
}
