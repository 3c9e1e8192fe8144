using System.Net;

namespace DataVault.Client.Tests;

/// <summary>The compliance desk's client (scope <c>requests.manage</c>) handles a data-subject request from receipt to its answer.</summary>
public sealed class RequestOperationsTests
{
    [Fact]
    public async Task Requests_ReceiveWorkExtendComplete_AndRefuseAnother_ThroughTheGeneratedClient()
    {
        await using var app = new ClientTestApplication();
        var desk = await app.CreateVaultClientAsync("privacy-desk", ["requests.manage"], []);

        var created = await desk.CreateRequestAsync(new CreateRequestBody
        {
            Type = "portability",
            Channel = "letter",
            Language = "ca",
            Requester = new RequesterBody { Name = "Jordi", Email = "jordi@example.com" },
        });
        var id = created.Request.Id;
        Assert.Equal(("received", "j***@example.com"), (created.Request.Status, created.Request.RequesterMask));

        await desk.TransitionRequestAsync(id, new RequestTransitionBody { To = "in-progress" });
        await desk.AddRequestNoteAsync(id, new RequestNoteBody { Text = "Export prepared for the customer." });
        var extended = await desk.ExtendRequestAsync(id, new RequestExtensionBody { Months = 1, Reason = "Two archives to search." });
        Assert.Equal(1, extended.Request.ExtensionMonths);
        var completed = await desk.CompleteRequestAsync(id, new RequestCompletionBody { Summary = "Sent by post." });
        Assert.Equal(("completed", true), (completed.Request.Status, completed.Request.OnTime));

        var other = (await desk.CreateRequestAsync(new CreateRequestBody { Type = "erasure", Channel = "phone", Requester = new RequesterBody { Phone = "+34 600 000 001" } })).Request.Id;
        var refused = await desk.RefuseRequestAsync(other, RefusalBody());
        Assert.Equal("identity-not-verified", refused.Request.RefusalReason);

        var read = await desk.GetRequestAsync(id);
        Assert.Equal(["received", "notice", "status", "note", "extended", "notice", "completed", "notice"], read.History.Select(e => e.Kind));
        var page = await desk.ListRequestsAsync(status: "refused", dueBefore: DateTimeOffset.UtcNow.AddMonths(2));
        Assert.Equal([other], page.Items.Select(r => r.Id));

        var conflict = await Assert.ThrowsAnyAsync<DataVaultProblemException>(() => desk.TransitionRequestAsync(id, new RequestTransitionBody { To = "in-progress" }));
        Assert.Equal(HttpStatusCode.Conflict, conflict.StatusCode);
    }

    [Fact]
    public async Task RequestIdentity_CodeGoesToTheAddressOnRecord_OfficerRecordsADocumentCheck()
    {
        await using var app = new ClientTestApplication();
        var vault = await app.CreateVaultClientAsync();
        var desk = await app.CreateVaultClientAsync("privacy-desk", ["requests.manage"], []);
        var subject = await vault.CreateSubjectAsync(TestData.Subject());
        var id = (await desk.CreateRequestAsync(new CreateRequestBody { Type = "erasure", Channel = "phone", SubjectId = subject.Id })).Request.Id;

        var sent = await desk.ChallengeRequestIdentityAsync(id);
        var verified = await desk.VerifyRequestIdentityAsync(id, new RequestVerificationBody { Evidence = "national-id-card" });

        Assert.EndsWith("@example.com", sent.SentTo, StringComparison.Ordinal);
        Assert.Contains("***", sent.SentTo, StringComparison.Ordinal);
        Assert.Equal("manual:national-id-card", verified.Request.IdentityMethod);
    }

    private static RequestRefusalBody RefusalBody() => new() { Reason = "identity-not-verified", Text = "We could not reach you to confirm who you are." };
}
