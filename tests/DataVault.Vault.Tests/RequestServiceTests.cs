using System.Text;
using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Requests;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Vault.Tests;

/// <summary>
/// Data-subject requests through the real vault: a real SQLite file, the one writer, the mail outbox. The clock
/// is moved by hand, so deadlines, pauses and extensions are checked on known days (Thursday 2026-03-05 is
/// received; its month ends on Sunday 2026-04-05, so it is due Monday 2026-04-06).
/// </summary>
public sealed class RequestServiceTests
{
    private static readonly DateTimeOffset Thursday = new(2026, 3, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly Actor Officer = Actor.Officer("officer-1");

    [Fact]
    public async Task Create_ByRequesterWithEmail_DueByRegulationQueuesReceiptInTheSameWrite_AndKeepsTheContactOnlyEncrypted()
    {
        await using var vault = await TestVault.StartAsync(new ManualTimeProvider(), settings: null);
        vault.Time.Set(Thursday);
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();

        var created = await requests.CreateAsync(
            new NewRequest(RequestTypes.Access, null, new RequesterContact("Ana Requester", "ana.requester@example.com", "+34 600 111 222"), RequestChannels.Email, null, "es", null, null),
            Officer,
            CancellationToken.None);

        Assert.Equal(RequestOutcome.Ok, created.Outcome);
        var request = created.Request!.Request;
        Assert.Equal((RequestStatuses.Received, new DateOnly(2026, 4, 6), new DateOnly(2026, 4, 6)), (request.Status, request.DueDate, request.FirstDueDate));
        Assert.Equal("a***@example.com", request.RequesterMask);
        Assert.Equal([RequestEventKinds.Received, RequestEventKinds.Notice], created.Request.History.Select(e => e.Kind));

        using var connection = vault.OpenDatabase();
        Assert.Equal(("request-received", request.Id), QueuedMail(connection));
        var stored = Row(connection, "SELECT quote(payload) || requester_mask FROM requests;");
        Assert.DoesNotContain("ana.requester", stored, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(Encoding.UTF8.GetBytes("600 111")), stored, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Create_UnknownOrErasedSubject_RefusedAndNothingWritten()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var subject = (await subjects.CreateAsync(Fields("""{"email": "gone@example.com"}"""), CancellationToken.None)).Value!.Id;
        await subjects.EraseAsync(subject, "test", Actor.System("test"), CancellationToken.None);

        var unknown = await requests.CreateAsync(new NewRequest(RequestTypes.Erasure, SubjectId.New(vault.Time), null, RequestChannels.Api, null, null, null, null), Officer, CancellationToken.None);
        var erased = await requests.CreateAsync(new NewRequest(RequestTypes.Erasure, subject, null, RequestChannels.Api, null, null, null, null), Officer, CancellationToken.None);

        Assert.Equal((RequestOutcome.NotFound, RequestOutcome.SubjectErased), (unknown.Outcome, erased.Outcome));
        using var connection = vault.OpenDatabase();
        Assert.Equal("0|0", Row(connection, "SELECT (SELECT COUNT(*) FROM requests) || '|' || (SELECT COUNT(*) FROM request_events);"));
    }

    [Fact]
    public async Task Requests_Transitions_OnlyAllowedOnes()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();

        foreach (var from in new[] { RequestStatuses.Received, RequestStatuses.IdentityCheck, RequestStatuses.InProgress, RequestStatuses.Withdrawn })
        {
            foreach (var to in new[] { RequestStatuses.IdentityCheck, RequestStatuses.InProgress, RequestStatuses.Withdrawn })
            {
                var id = await RequestInAsync(requests, from);
                var moved = await requests.MoveAsync(id, to, pauseClock: false, Officer, CancellationToken.None);
                var allowed = RequestState.CanMove(from, to);
                Assert.True(
                    (allowed ? RequestOutcome.Ok : RequestOutcome.Conflict) == moved.Outcome,
                    $"{from} → {to}: {moved.Outcome} {moved.Conflict}");
            }
        }

        // Skipping back, completing before the work, acting on a closed request: all conflicts.
        var received = await RequestInAsync(requests, RequestStatuses.Received);
        Assert.Equal(RequestOutcome.Conflict, (await requests.CompleteAsync(received, null, Officer, CancellationToken.None)).Outcome);
        var done = await RequestInAsync(requests, RequestStatuses.InProgress);
        Assert.Equal(RequestOutcome.Ok, (await requests.CompleteAsync(done, "sent the export", Officer, CancellationToken.None)).Outcome);
        Assert.Equal(RequestOutcome.Conflict, (await requests.RefuseAsync(done, RefusalReasons.Excessive, "too many", Officer, CancellationToken.None)).Outcome);
        Assert.Equal(RequestOutcome.Conflict, (await requests.ExtendAsync(done, 1, "complex", Officer, CancellationToken.None)).Outcome);
        Assert.Equal(RequestOutcome.Invalid, (await requests.MoveAsync(done, RequestStatuses.Completed, false, Officer, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Pause_OnlyInIdentityCheck_MovesTheDueDateByTheDaysPaused_AndIsVisible()
    {
        await using var vault = await TestVault.StartAsync();
        vault.Time.Set(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var id = await RequestInAsync(requests, RequestStatuses.Received);

        Assert.Equal(RequestOutcome.Invalid, (await requests.MoveAsync(id, RequestStatuses.InProgress, pauseClock: true, Officer, CancellationToken.None)).Outcome);

        vault.Time.Set(new DateTimeOffset(2026, 3, 3, 9, 0, 0, TimeSpan.Zero));
        var paused = (await requests.MoveAsync(id, RequestStatuses.IdentityCheck, pauseClock: true, Officer, CancellationToken.None)).Request!;
        Assert.Equal(new DateOnly(2026, 3, 3), paused.Request.PausedSince);
        Assert.Equal(new DateOnly(2026, 4, 2), paused.Request.DueDate);

        // While paused, the due date moves a day for every day paused, and the request is never overdue.
        vault.Time.Set(new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero));
        var during = (await requests.GetAsync(id, CancellationToken.None))!.Request;
        Assert.Equal((7, new DateOnly(2026, 4, 9)), (during.PausedDays, during.DueDate));

        var resumed = (await requests.MoveAsync(id, RequestStatuses.InProgress, pauseClock: false, Officer, CancellationToken.None)).Request!;
        Assert.Equal((7, (DateOnly?)null, new DateOnly(2026, 4, 9), new DateOnly(2026, 4, 9)), (resumed.Request.PausedDays, resumed.Request.PausedSince, resumed.Request.DueDate, resumed.Request.FirstDueDate));
        Assert.Contains(resumed.History, e => e.Kind == RequestEventKinds.Paused);
        Assert.Contains(resumed.History, e => e.Kind == RequestEventKinds.Resumed && e.Detail == "days=7 due=2026-04-09");
    }

    [Fact]
    public async Task Extension_BeforeFirstDeadline_ThreeMonthsFromReceiptWithNoticeInTheSameWrite()
    {
        await using var vault = await TestVault.StartAsync();
        vault.Time.Set(new DateTimeOffset(2026, 1, 31, 12, 0, 0, TimeSpan.Zero));
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var id = await RequestInAsync(requests, RequestStatuses.InProgress, email: "slow@example.com");

        Assert.Equal(RequestOutcome.Invalid, (await requests.ExtendAsync(id, 3, "complex", Officer, CancellationToken.None)).Outcome);
        Assert.Equal(RequestOutcome.Invalid, (await requests.ExtendAsync(id, 1, " ", Officer, CancellationToken.None)).Outcome);

        vault.Time.Set(new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero));
        var extended = (await requests.ExtendAsync(id, 2, "Many systems to search.", Officer, CancellationToken.None)).Request!;

        Assert.Equal((2, new DateOnly(2026, 4, 30), new DateOnly(2026, 3, 2)), (extended.Request.ExtensionMonths, extended.Request.DueDate, extended.Request.FirstDueDate));
        Assert.Equal([RequestEventKinds.Extended, RequestEventKinds.Notice], extended.History.TakeLast(2).Select(e => e.Kind));
        using var connection = vault.OpenDatabase();
        Assert.Equal(1L, Scalar(connection, "SELECT COUNT(*) FROM mail_outbox WHERE kind = 'request-extended';"));
        Assert.Equal(RequestOutcome.Conflict, (await requests.ExtendAsync(id, 1, "more", Officer, CancellationToken.None)).Outcome);
    }

    [Fact]
    public async Task Extension_AfterFirstDeadline_Conflict()
    {
        await using var vault = await TestVault.StartAsync();
        vault.Time.Set(Thursday);
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var id = await RequestInAsync(requests, RequestStatuses.InProgress);

        vault.Time.Set(new DateTimeOffset(2026, 4, 7, 8, 0, 0, TimeSpan.Zero));
        var late = await requests.ExtendAsync(id, 1, "We forgot.", Officer, CancellationToken.None);

        Assert.Equal(RequestOutcome.Conflict, late.Outcome);
        Assert.Contains("2026-04-06", late.Conflict, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flags_DueSoonAtSevenDaysNotEight_OverdueTheDayAfterTheDueDate_AndListedFirst()
    {
        await using var vault = await TestVault.StartAsync();
        vault.Time.Set(Thursday);
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var early = await RequestInAsync(requests, RequestStatuses.InProgress);
        vault.Time.Set(Thursday.AddDays(5));
        var later = await RequestInAsync(requests, RequestStatuses.Received);

        async Task<RequestView> On(string day, string id)
        {
            vault.Time.Set(DateTimeOffset.Parse(day + "T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
            return (await requests.GetAsync(id, CancellationToken.None))!.Request;
        }

        Assert.Equal((false, false), ((await On("2026-03-29", early)).DueSoon, (await On("2026-03-29", early)).Overdue));
        Assert.Equal((true, false), ((await On("2026-03-30", early)).DueSoon, (await On("2026-03-30", early)).Overdue));
        Assert.Equal((true, false), ((await On("2026-04-06", early)).DueSoon, (await On("2026-04-06", early)).Overdue));
        Assert.Equal((false, true), ((await On("2026-04-07", early)).DueSoon, (await On("2026-04-07", early)).Overdue));

        var overdue = (await requests.ListAsync(new RequestFilter(Overdue: true), null, 10, CancellationToken.None))!;
        Assert.Equal([early], overdue.Requests.Select(r => r.Id));
        await requests.CompleteAsync(early, null, Officer, CancellationToken.None);
        var all = (await requests.ListAsync(new RequestFilter(), null, 1, CancellationToken.None))!;
        Assert.Equal(later, Assert.Single(all.Requests).Id);
        var next = (await requests.ListAsync(new RequestFilter(), all.NextCursor, 1, CancellationToken.None))!;
        Assert.Equal(early, Assert.Single(next.Requests).Id);
        Assert.False(next.Requests[0].OnTime);
        Assert.Null(await requests.ListAsync(new RequestFilter(), "not-a-cursor", 1, CancellationToken.None));
    }

    [Fact]
    public async Task Refusal_NoticeStatesReasonComplaintAndJudicialRemedy_InTheRequestLanguage()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var id = await RequestInAsync(requests, RequestStatuses.Received, email: "refused@example.com", language: "it");

        Assert.Equal(RequestOutcome.Invalid, (await requests.RefuseAsync(id, "because", "no", Officer, CancellationToken.None)).Outcome);
        var refused = (await requests.RefuseAsync(id, RefusalReasons.Excessive, "Terza richiesta identica in un mese.", Officer, CancellationToken.None)).Request!;

        Assert.Equal((RequestStatuses.Refused, RefusalReasons.Excessive, true), (refused.Request.Status, refused.Request.RefusalReason, refused.Request.OnTime));
        await using var mailScope = vault.Scope();
        var outbox = vault.Services.GetRequiredService<Mail.MailOutbox>();
        var db = mailScope.ServiceProvider.GetRequiredService<Storage.VaultDbContext>();
        var record = db.MailOutbox.Single(m => m.Kind == RequestNotices.RefusedKind);
        var mail = outbox.Unprotect(record);
        Assert.Equal(("refused@example.com", "it", id), (mail.To, mail.Language, record.RequestId));
        Assert.Contains("art. 77 GDPR", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("art. 79 GDPR", mail.TextBody, StringComparison.Ordinal);
        Assert.Contains("Terza richiesta identica", mail.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Notices_EveryKindAndTheCodeInEveryLanguage_NameEveryTypeAndReason_AndComplaintAndRemedyOnRefusal()
    {
        Assert.Equal(["en", "es", "ca", "it", "et"], RequestNotices.Languages);
        foreach (var language in RequestNotices.Languages)
        {
            var (types, reasons) = RequestNotices.Vocabulary(language);
            Assert.Equal(RequestTypes.All.Order(), types.Order());
            Assert.Equal(RefusalReasons.All.Order(), reasons.Order());
            foreach (var type in RequestTypes.All)
            {
                foreach (var kind in RequestNotices.Kinds)
                {
                    var request = SampleRequest(type, language);
                    var mail = RequestNotices.Compose(kind, request, "someone@example.com", null, "Explanation.", "Example");
                    Assert.Equal((language, kind), (mail.Language, mail.Kind));
                    Assert.Contains(request.Id, mail.TextBody, StringComparison.Ordinal);
                    Assert.DoesNotContain("{", mail.TextBody, StringComparison.Ordinal);
                    Assert.Equal(kind == RequestNotices.RefusedKind, mail.TextBody.Contains("77", StringComparison.Ordinal) && mail.TextBody.Contains("79", StringComparison.Ordinal));
                }

                var code = RequestNotices.ComposeCode(SampleRequest(type, language), "someone@example.com", "subject", "12345678", Thursday, "Example");
                Assert.Equal((language, RequestNotices.IdentityCodeKind), (code.Language, code.Kind));
                Assert.Contains("12345678", code.TextBody, StringComparison.Ordinal);
                Assert.Contains("2026-03-05 10:00", code.TextBody, StringComparison.Ordinal);
            }
        }

        await Task.CompletedTask;
    }

    [Fact]
    public async Task Erasure_DeletesTheRequesterContact_KeepsTheRequestAndItsHistory()
    {
        await using var vault = await TestVault.StartAsync();
        await using var scope = vault.Scope();
        var requests = scope.ServiceProvider.GetRequiredService<RequestService>();
        var subjects = scope.ServiceProvider.GetRequiredService<SubjectService>();
        var subject = (await subjects.CreateAsync(Fields("""{"email": "leaving@example.com"}"""), CancellationToken.None)).Value!.Id;
        var id = (await requests.CreateAsync(
            new NewRequest(RequestTypes.Erasure, subject, new RequesterContact(null, "leaving@example.com", null), RequestChannels.Letter, null, null, null, null), Officer, CancellationToken.None)).Request!.Request.Id;

        await subjects.EraseAsync(subject, "test", Actor.System("test"), CancellationToken.None);

        using var connection = vault.OpenDatabase();
        Assert.Equal("null|1", Row(connection, "SELECT coalesce(payload, 'null') || '|' || (SELECT COUNT(*) FROM request_events WHERE kind = 'received') FROM requests;"));
        Assert.Equal(RequestStatuses.Received, (await requests.GetAsync(id, CancellationToken.None))!.Request.Status);
    }

    private static RequestRecord SampleRequest(string type, string language) => new()
    {
        Id = "0198c8a4-0000-7000-8000-000000000001",
        Type = type,
        Channel = RequestChannels.Email,
        ReceivedAt = Thursday,
        ReceivedDate = new DateOnly(2026, 3, 5),
        Language = language,
        Status = RequestStatuses.Refused,
        DueDate = new DateOnly(2026, 4, 6),
        FirstDueDate = new DateOnly(2026, 4, 6),
        RefusalReason = RefusalReasons.Other,
        ClosedAt = Thursday,
        CreatedBy = "officer-1",
        UpdatedAt = Thursday,
    };

    /// <summary>A new request moved through the allowed steps to <paramref name="status"/>.</summary>
    private static async Task<string> RequestInAsync(RequestService requests, string status, string email = "someone@example.com", string language = "en")
    {
        var created = await requests.CreateAsync(
            new NewRequest(RequestTypes.Access, null, new RequesterContact(null, email, null), RequestChannels.Email, null, language, null, null), Officer, CancellationToken.None);
        var id = created.Request!.Request.Id;
        string[] path = status switch
        {
            RequestStatuses.IdentityCheck => [RequestStatuses.IdentityCheck],
            RequestStatuses.InProgress => [RequestStatuses.InProgress],
            RequestStatuses.Withdrawn => [RequestStatuses.Withdrawn],
            _ => [],
        };
        foreach (var step in path)
        {
            Assert.Equal(RequestOutcome.Ok, (await requests.MoveAsync(id, step, false, Officer, CancellationToken.None)).Outcome);
        }

        return id;
    }

    private static Dictionary<string, JsonElement> Fields(string json) =>
        JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    private static (string Kind, string? RequestId) QueuedMail(SqliteConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT kind, request_id FROM mail_outbox;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        return (reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetString(1));
    }

    private static string Row(SqliteConnection connection, string sql) => Convert.ToString(Scalar(connection, sql), System.Globalization.CultureInfo.InvariantCulture)!;

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
