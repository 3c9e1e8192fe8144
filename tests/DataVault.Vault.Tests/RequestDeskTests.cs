using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Requests;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>
/// What the desk and the portal add to data-subject requests: handing a request to someone, a signed-in customer's
/// own request verified by their sign-in (and no one else's), and the counts per month of receipt for the
/// accountability report. Real vault, clock moved by hand.
/// </summary>
public sealed class RequestDeskTests
{
    private static readonly DateTimeOffset Thursday = new(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Officer = Actor.Officer("officer-1");

    [Fact]
    public async Task PortalSignIn_VerifiesOnlyTheSubjectsOwnRequest_Once()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var ana = (await subjects.CreateAsync(Fields("""{"email": "ana@example.com"}"""), CancellationToken.None)).Value!.Id;
        var joan = (await subjects.CreateAsync(Fields("""{"email": "joan@example.com"}"""), CancellationToken.None)).Value!.Id;
        var id = (await requests.CreateAsync(new NewRequest(RequestTypes.Objection, ana, null, RequestChannels.Portal, null, null, null, "grounds"), Actor.Subject(ana), CancellationToken.None)).Request!.Request.Id;

        var byOther = await requests.RecordPortalSignInAsync(id, Actor.Subject(joan), CancellationToken.None);
        var byOfficer = await requests.RecordPortalSignInAsync(id, Officer, CancellationToken.None);
        Assert.Equal((RequestOutcome.Conflict, RequestOutcome.Conflict), (byOther.Outcome, byOfficer.Outcome));
        Assert.Null((await requests.GetAsync(id, CancellationToken.None))!.Request.IdentityMethod);

        var own = await requests.RecordPortalSignInAsync(id, Actor.Subject(ana), CancellationToken.None);
        Assert.Equal(RequestOutcome.Ok, own.Outcome);
        Assert.Equal(IdentityMethods.PortalSignIn, own.Request!.Request.IdentityMethod);
        Assert.Equal([RequestEventKinds.IdentityVerified, RequestEventKinds.Notice], own.Request.History.TakeLast(2).Select(e => e.Kind));
        Assert.Equal(RequestOutcome.Conflict, (await requests.RecordPortalSignInAsync(id, Actor.Subject(ana), CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task PortalSignIn_QueuesTheReceiptNotice_ToTheAddressOnRecord_InTheSubjectsLanguage_Once()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var ana = (await subjects.CreateAsync(Fields("""{"email": "ana@example.com", "preferred_language": "ca"}"""), CancellationToken.None)).Value!.Id;
        var opened = (await requests.CreateAsync(new NewRequest(RequestTypes.Access, ana, null, RequestChannels.Portal, null, null, null, null), Actor.Subject(ana), CancellationToken.None)).Request!.Request.Id;
        var acknowledged = (await requests.CreateAsync(
            new NewRequest(RequestTypes.Erasure, ana, new RequesterContact(null, "given@example.com", null), RequestChannels.Portal, null, null, null, null), Actor.Subject(ana), CancellationToken.None)).Request!.Request.Id;
        Assert.Empty(ReceiptNotices(vault, opened));

        var signedIn = await requests.RecordPortalSignInAsync(opened, Actor.Subject(ana), CancellationToken.None);
        await requests.RecordPortalSignInAsync(acknowledged, Actor.Subject(ana), CancellationToken.None);

        var notice = Assert.Single(ReceiptNotices(vault, opened));
        Assert.Equal(("ana@example.com", "ca", ana), (notice.To, notice.Language, notice.SubjectId));
        Assert.Contains("Hem rebut", notice.Subject, StringComparison.Ordinal);
        Assert.Equal(RequestEventKinds.Notice, signedIn.Request!.History[^1].Kind);
        Assert.Equal("given@example.com", Assert.Single(ReceiptNotices(vault, acknowledged)).To);
    }

    [Fact]
    public async Task Assign_RecordsWhoHandedItToWhom_OnlyWhileOpen_AndRefusesControlCharacters()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var id = await RequestAsync(requests);

        Assert.Equal(RequestOutcome.Invalid, (await requests.AssignAsync(id, "officer\u0007two", Officer, CancellationToken.None)).Outcome);
        var assigned = await requests.AssignAsync(id, " officer-2 ", Officer, CancellationToken.None);
        Assert.Equal("officer-2", assigned.Request!.Request.Assignee);
        Assert.Equal((RequestEventKinds.Assigned, "officer-2", "officer-1"), (assigned.Request.History[^1].Kind, assigned.Request.History[^1].Detail, assigned.Request.History[^1].ActorId));
        Assert.Null((await requests.AssignAsync(id, " ", Officer, CancellationToken.None)).Request!.Request.Assignee);

        await requests.MoveAsync(id, RequestStatuses.Withdrawn, false, Officer, CancellationToken.None);
        Assert.Equal(RequestOutcome.Conflict, (await requests.AssignAsync(id, "officer-2", Officer, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task MonthlyCounts_CountEachRequestInItsMonthOfReceipt_WithWhatBecameOfIt()
    {
        var time = new ManualTimeProvider();
        await using var vault = await TestVault.StartAsync(time, settings: null);
        vault.Time.Set(Thursday);
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var report = scope.ServiceProvider.GetRequiredService<RequestReport>();

        var onTime = await RequestAsync(requests);
        await requests.MoveAsync(onTime, RequestStatuses.InProgress, false, Officer, CancellationToken.None);
        await requests.CompleteAsync(onTime, null, Officer, CancellationToken.None);
        var extended = await RequestAsync(requests);
        Assert.Equal(RequestOutcome.Ok, (await requests.ExtendAsync(extended, 1, "many systems", Officer, CancellationToken.None)).Outcome);
        var refused = await RequestAsync(requests);
        await requests.RefuseAsync(refused, RefusalReasons.Excessive, "third identical request this month", Officer, CancellationToken.None);
        var late = await RequestAsync(requests);
        await requests.MoveAsync(late, RequestStatuses.InProgress, false, Officer, CancellationToken.None);
        vault.Time.Set(new DateTimeOffset(2026, 4, 20, 10, 0, 0, TimeSpan.Zero));
        await requests.CompleteAsync(late, null, Officer, CancellationToken.None);
        await RequestAsync(requests);

        var months = await report.MonthsAsync(2026, CancellationToken.None);

        Assert.Equal(Enumerable.Range(1, 12), months.Select(m => m.Month));
        Assert.Equal(new RequestMonthCount(2026, 3, 4, 1, 1, 1, 1), months[2]);
        Assert.Equal(new RequestMonthCount(2026, 4, 1, 0, 0, 0, 0), months[3]);
        Assert.All(months.Where(m => m.Month is not (3 or 4)), m => Assert.Equal(0, m.Received));
        Assert.All(await report.MonthsAsync(2025, CancellationToken.None), m => Assert.Equal(0, m.Received));
    }

    private static async Task<string> RequestAsync(RequestService requests) =>
        (await requests.CreateAsync(
            new NewRequest(RequestTypes.Access, null, new RequesterContact(null, "someone@example.com", null), RequestChannels.Email, null, "en", null, null), Officer, CancellationToken.None))
        .Request!.Request.Id;

    private static List<Mail.OutgoingMail> ReceiptNotices(TestVault vault, string requestId)
    {
        using var scope = vault.Scope();
        var outbox = vault.Services.GetRequiredService<Mail.MailOutbox>();
        var db = scope.ServiceProvider.GetRequiredService<Storage.VaultDbContext>();
        return db.MailOutbox.Where(m => m.RequestId == requestId && m.Kind == RequestNotices.ReceivedKind).AsEnumerable().Select(outbox.Unprotect).ToList();
    }

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;
}
