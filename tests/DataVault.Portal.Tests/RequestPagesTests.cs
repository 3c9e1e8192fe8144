using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Vault.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>
/// Data-subject requests in the portal: the officer's queue, intake, request page and monthly counts
/// (/desk/requests), and the customer's own requests (/my/requests). Each change goes through the vault's
/// request service between its audit entries; bad input is answered with the field at fault and nothing written.
/// </summary>
public sealed class RequestPagesTests
{
    [Fact]
    public async Task Desk_RecordsALetterAndAPhoneCall_QueueLeadsWithTheOverdue_AndFlagsIt()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, browser);
        app.Monitor.Remember("pere.letter@example.com");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        using (var phone = await browser.SubmitAsync("/desk/requests", Form(("Intake.Type", "access"), ("Intake.Channel", "phone"), ("Intake.Phone", "+34 600 000 012"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, phone.StatusCode);
            Assert.StartsWith("/desk/requests/", phone.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var lateDay = today.AddMonths(-2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        using (var letter = await browser.SubmitAsync("/desk/requests", Form(
            ("Intake.Type", "erasure"), ("Intake.Channel", "letter"), ("Intake.ReceivedOn", lateDay), ("Intake.Email", "pere.letter@example.com"), ("Intake.Note", "Letter dated last week"))))
        {
            Assert.Equal(HttpStatusCode.Redirect, letter.StatusCode);
        }

        var (status, html) = await browser.GetAsync("/desk/requests");
        Assert.Equal(HttpStatusCode.OK, status);
        var page = WebUtility.HtmlDecode(html);
        var erasure = page.IndexOf("Erasure (Art. 17)", StringComparison.Ordinal);
        var access = page.IndexOf("Access to the data (Art. 15)</td>", StringComparison.Ordinal);
        Assert.True(erasure > 0 && access > erasure, "The overdue request leads the queue.");
        Assert.Contains("Overdue", page[..access], StringComparison.Ordinal);
        Assert.Contains("p***@example.com", page, StringComparison.Ordinal);
        Assert.Contains("***12", page, StringComparison.Ordinal);
        Assert.DoesNotContain("pere.letter@example.com", page, StringComparison.Ordinal);

        var (_, overdueOnly) = await browser.GetAsync("/desk/requests?overdue=yes");
        Assert.DoesNotContain("Access to the data (Art. 15)</td>", overdueOnly, StringComparison.Ordinal);
        var entries = Audit(app, officerId, AuditActions.RequestCreate);
        Assert.Equal(2, entries.Count(e => e.Outcome == AuditOutcomes.Success));
    }

    [Fact]
    public async Task Desk_IntakeWithBadInput_NamesEachFieldAtFault_AndWritesNothing()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, browser);
        var tomorrow = DateOnly.FromDateTime(DateTime.UtcNow).AddDays(2).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        using var response = await browser.SubmitAsync("/desk/requests", Form(
            ("Intake.Type", "nonsense"), ("Intake.Channel", "email"), ("Intake.Email", "not-an-address"), ("Intake.ReceivedOn", tomorrow)));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("There is a problem", page, StringComparison.Ordinal);
        Assert.Contains("Choose the kind of request.", page, StringComparison.Ordinal);
        Assert.Contains("Enter an e-mail address like name@example.com.", page, StringComparison.Ordinal);
        Assert.Contains("The day of receipt cannot lie in the future.", page, StringComparison.Ordinal);
        Assert.Equal(0, RequestCount(app));

        using var unknown = await browser.SubmitAsync("/desk/requests", Form(("Intake.Type", "access"), ("Intake.Channel", "email"), ("Intake.SubjectId", "not a subject")));
        Assert.Contains("This is not a subject id.", WebUtility.HtmlDecode(await unknown.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(0, RequestCount(app));
        Assert.Contains(Audit(app, officerId, AuditActions.RequestCreate), e => e.Outcome == AuditOutcomes.Invalid);
    }

    [Fact]
    public async Task Desk_RequestPage_PausesForTheIdentityCheck_RecordsTheDocument_ExtendsNotesAndCompletes()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Pere" } });
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var browser = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, browser);
        using var intake = await browser.SubmitAsync("/desk/requests", Form(("Intake.Type", "rectification"), ("Intake.Channel", "in-person"), ("Intake.SubjectId", subjectId)));
        var path = intake.Headers.Location!.OriginalString;

        await ActAsync(browser, path, "Move", ("Act.To", "identity-check"), ("Act.PauseClock", "true"));
        var (_, paused) = await browser.GetAsync(path);
        Assert.Contains("Clock paused since", WebUtility.HtmlDecode(paused), StringComparison.Ordinal);
        await ActAsync(browser, path, "Verify", ("Act.Evidence", "passport"));
        await ActAsync(browser, path, "Move", ("Act.To", "in-progress"));
        await ActAsync(browser, path, "Assign", ("Act.Assignee", officerId));
        await ActAsync(browser, path, "Extend", ("Act.Months", "2"), ("Act.Reason", "Records are spread over three systems"));
        await ActAsync(browser, path, "Note", ("Act.Text", "Called the customer back"));
        await ActAsync(browser, path, "Complete", ("Act.Text", "Surname corrected"));

        var (status, html) = await browser.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var page = WebUtility.HtmlDecode(html);
        Assert.Contains("<dd>Completed</dd>", page, StringComparison.Ordinal);
        Assert.Contains("manual:passport", page, StringComparison.Ordinal);
        Assert.Contains("Records are spread over three systems", page, StringComparison.Ordinal);
        Assert.Contains("Called the customer back", page, StringComparison.Ordinal);
        Assert.Contains("on time", page, StringComparison.Ordinal);
        Assert.Contains("officer@example.com", page, StringComparison.Ordinal);
        foreach (var step in new[] { "Clock paused for the identity check", "Clock running again", "Identity established", "Period extended", "Assigned", "Note", "Completed" })
        {
            Assert.Contains($"<td data-label=\"What\">{step}", page, StringComparison.Ordinal);
        }

        var audited = Audit(app, officerId, AuditActions.RequestComplete);
        Assert.Equal([AuditOutcomes.Attempted, AuditOutcomes.Success], audited.Select(e => e.Outcome));
        Assert.All(audited, e => Assert.Equal(subjectId, e.SubjectId));
        var assigned = Audit(app, officerId, AuditActions.RequestAssign);
        Assert.Equal([AuditOutcomes.Attempted, AuditOutcomes.Success], assigned.Select(e => e.Outcome));
        Assert.All(assigned, e => Assert.Equal(subjectId, e.SubjectId));
        Assert.Equal(4, Audit(app, officerId, AuditActions.RequestTransition).Count);
    }

    [Fact]
    public async Task Desk_RefusalWithoutAReason_OrACompletionBeforeWork_IsRefused_AndNothingChanges()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        using var intake = await browser.SubmitAsync("/desk/requests", Form(("Intake.Type", "objection"), ("Intake.Channel", "email"), ("Intake.Email", "someone@example.com")));
        var path = intake.Headers.Location!.OriginalString;
        var before = EventCount(app);

        using var refusal = await browser.SubmitAsync(path, Form(("Act.RefusalReason", "because"), ("Act.Text", " ")), path + "?handler=Refuse");
        Assert.Equal(HttpStatusCode.OK, refusal.StatusCode);
        var page = WebUtility.HtmlDecode(await refusal.Content.ReadAsStringAsync());
        Assert.Contains("Give the reason; the requester is told it.", page, StringComparison.Ordinal);

        using var completion = await browser.SubmitAsync(path, Form(("Act.Text", "done")), path + "?handler=Complete");
        Assert.Contains("This is not possible in the request's current step or period.", WebUtility.HtmlDecode(await completion.Content.ReadAsStringAsync()), StringComparison.Ordinal);

        using var extension = await browser.SubmitAsync(path, Form(("Act.Months", "3"), ("Act.Reason", "x")), path + "?handler=Extend");
        Assert.Contains("Choose one or two months.", WebUtility.HtmlDecode(await extension.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Equal(before, EventCount(app));
        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync("/desk/requests/00000000-0000-0000-0000-000000000000")).Status);
    }

    [Fact]
    public async Task Desk_MonthlyCounts_CountEachRequestInItsMonthOfReceipt_AndDownloadAsCsv()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        using (await browser.SubmitAsync("/desk/requests", Form(("Intake.Type", "access"), ("Intake.Channel", "phone"), ("Intake.Name", "Pere"))))
        {
        }

        var now = DateTime.UtcNow;
        var (status, html) = await browser.GetAsync($"/desk/requests/counts?year={now.Year}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"Requests received in {now.Year}", html, StringComparison.Ordinal);

        using var csv = await browser.Http.GetAsync($"/desk/requests/counts?handler=csv&year={now.Year}");
        Assert.Equal(HttpStatusCode.OK, csv.StatusCode);
        Assert.Equal("text/csv", csv.Content.Headers.ContentType!.MediaType);
        var lines = (await csv.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("year,month,received,completed_on_time,completed_late,extended,refused", lines[0]);
        Assert.Equal(13, lines.Length);
        Assert.Equal($"{now.Year},{now.Month:00},1,0,0,0,0", lines[now.Month]);
    }

    [Fact]
    public async Task Customer_OpensAnObjection_SeesOnlyTheirOwnRequests_AndWithdrawsIt()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (anaSubject, anaLink) = await PortalBrowser.InviteAsync(app, api, "ana@example.com");
        var (_, joanLink) = await PortalBrowser.InviteAsync(app, api, "joan@example.com");
        using var ana = new PortalBrowser(app);
        await ana.ActivateAsync(anaLink, PortalSignIns.CustomerPassword);
        using var joan = new PortalBrowser(app);
        await joan.ActivateAsync(joanLink, PortalSignIns.CustomerPassword);

        using var opened = await ana.SubmitAsync("/my/requests", Form(("Input.Type", "objection"), ("Input.Details", "I object to profiling: I am a public figure and it exposes me.")));
        Assert.Equal(HttpStatusCode.Redirect, opened.StatusCode);
        var path = opened.Headers.Location!.OriginalString;
        Assert.StartsWith("/my/requests/", path, StringComparison.Ordinal);

        var (status, html) = await ana.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, status);
        var page = WebUtility.HtmlDecode(html);
        Assert.Contains("Objection to processing (Art. 21)", page, StringComparison.Ordinal);
        Assert.Contains("I object to profiling", page, StringComparison.Ordinal);
        Assert.Contains("Identity established", page, StringComparison.Ordinal);
        var (_, list) = await ana.GetAsync("/my/requests");
        Assert.Contains(path, list, StringComparison.Ordinal);

        // Another customer neither sees it, nor finds it in their list, nor can withdraw it.
        Assert.Equal(HttpStatusCode.NotFound, (await joan.GetAsync(path)).Status);
        Assert.DoesNotContain(path, (await joan.GetAsync("/my/requests")).Html, StringComparison.Ordinal);
        using (var foreign = await joan.SubmitAsync("/my/requests", Form(), path + "?handler=Withdraw"))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        Assert.Contains("<dd>Received</dd>", WebUtility.HtmlDecode((await ana.GetAsync(path)).Html), StringComparison.Ordinal);

        using var withdrawn = await ana.SubmitAsync(path, Form(), path + "?handler=Withdraw");
        Assert.Equal(HttpStatusCode.Redirect, withdrawn.StatusCode);
        var after = WebUtility.HtmlDecode((await ana.GetAsync(withdrawn.Headers.Location!.OriginalString)).Html);
        Assert.Contains("You withdrew this request.", after, StringComparison.Ordinal);
        Assert.Contains("<dd>Withdrawn</dd>", after, StringComparison.Ordinal);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT subject_id, channel, status, identity_method FROM requests;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((anaSubject, "portal", "withdrawn", "portal-sign-in"), (reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3)));
        Assert.False(reader.Read());
    }

    [Fact]
    public async Task Customer_RequestWithoutAKindOrWords_IsRefusedWithTheReason_AndWithoutItsTokenNotAtAll()
    {
        await using var app = new DataVaultApplication();
        using var ana = new PortalBrowser(app);
        await PortalSignIns.CustomerAsync(app, ana);

        using var empty = await ana.SubmitAsync("/my/requests", Form(("Input.Type", "erasure"), ("Input.Details", "  ")));
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        var page = WebUtility.HtmlDecode(await empty.Content.ReadAsStringAsync());
        Assert.Contains("Choose what you ask for.", page, StringComparison.Ordinal);
        Assert.Contains("Tell us what you ask for and why.", page, StringComparison.Ordinal);

        using var forged = await ana.PostAsync("/my/requests", Form(("Input.Type", "objection"), ("Input.Details", "forged")), antiforgeryToken: null);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        Assert.Equal(0, RequestCount(app));
    }

    private static async Task ActAsync(PortalBrowser browser, string path, string handler, params (string Name, string Value)[] fields)
    {
        using var response = await browser.SubmitAsync(path, Form(fields), $"{path}?handler={handler}");
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{handler} answered {(int)response.StatusCode}: {WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync())}");
    }

    private static Dictionary<string, string> Form(params (string Name, string Value)[] fields) => fields.ToDictionary(f => f.Name, f => f.Value);

    private static List<AuditRecord> Audit(DataVaultApplication app, string actorId, string action) =>
        app.Services.GetRequiredService<AuditQueryService>().Search(new AuditQuery(ActorId: actorId), 200)
            .OrderBy(e => e.Sequence).Select(e => e.Record).Where(r => r.Action == action).ToList();

    private static long RequestCount(DataVaultApplication app) => Count(app, "requests");

    private static long EventCount(DataVaultApplication app) => Count(app, "request_events");

    private static long Count(DataVaultApplication app, string table)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT COUNT(*) FROM {table};";
        return (long)command.ExecuteScalar()!;
    }
}
