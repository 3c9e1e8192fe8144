namespace DataVault.Client.Tests;

/// <summary>The compliance desk's client fulfils a request with the vault's own operations, and finds them in the audit trail by the request.</summary>
public sealed class RequestFulfilmentOperationsTests
{
    [Fact]
    public async Task TakeRequestAction_Restrict_IsRecordedInTheHistoryAndFoundInTheAuditByTheRequest()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var desk = await app.CreateVaultClientAsync("privacy-desk", ["requests.manage", "audit.read"], []);
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var id = (await desk.CreateRequestAsync(new CreateRequestBody { Type = "restriction", Channel = "phone", SubjectId = subject.Id })).Request.Id;
        await desk.TransitionRequestAsync(id, new RequestTransitionBody { To = "in-progress" });

        var done = await desk.TakeRequestActionAsync(id, new RequestActionBody { Action = "restrict", Reason = "The customer contests the accuracy of the address." });

        Assert.Equal(("restrict", "action", "restrict"), (done.Detail, done.Request.History.Last().Kind, done.Request.History.Last().Detail));
        var entries = new List<AuditEntryResponse>();
        await foreach (var entry in desk.SearchAllAuditAsync(request: id))
        {
            entries.Add(entry);
        }

        Assert.Contains(entries, e => e.Action == "restriction.record" && e.Outcome == "success" && e.SubjectId == subject.Id);
        Assert.All(entries, e => Assert.Equal(id, e.RequestId));

        await desk.CompleteRequestAsync(id, new RequestCompletionBody());
        var certificate = await desk.GetRequestCertificateAsync(id);
        Assert.Equal(3, certificate.Certificate.Split('.').Length);
    }
}
