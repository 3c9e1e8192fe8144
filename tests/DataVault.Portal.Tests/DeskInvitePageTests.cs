using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Vault.Audit;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>
/// The desk's invitation (/desk/invite): an officer who checked a customer's identity records the
/// address the customer proved, and the vault e-mails the link there; every step is in the audit trail
/// as the officer's.
/// </summary>
public sealed class DeskInvitePageTests
{
    private const string Proven = "pere.proved@example.com";
    private const string Password = "correct horse battery staple";

    [Fact]
    public async Task Invite_SubjectWithoutEmail_RecordsTheProvenAddress_SendsTheLinkThere_AndAuditsTheOfficer()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var subjectId = await CreateSubjectWithoutEmailAsync(api);
        using var browser = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, browser);
        app.Monitor.Remember(Proven);

        using var response = await browser.SubmitAsync("/desk/invite", Form(subjectId, "passport", Proven, confirmed: true));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("Invitation sent to p***@example.com.", page, StringComparison.Ordinal);
        Assert.DoesNotContain(Proven, page, StringComparison.Ordinal);

        // The link arrives at the proven address, and the account signs in with it.
        var link = DeliveredMail.InvitationLink(await DeliveredMail.WaitForEmlToAsync(app, Proven));
        app.Monitor.Remember(link.Query["?token=".Length..]);
        using (var customer = new PortalBrowser(app))
        {
            await customer.ActivateAsync(link.PathAndQuery, Password);
        }

        using (var signIn = await new PortalBrowser(app).SignInAsync(Proven, Password))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        }

        var read = await api.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{subjectId}?purpose=service-delivery");
        Assert.Equal(Proven, read.GetProperty("fields").GetProperty("email").GetProperty("value").GetString());
        var audit = app.Services.GetRequiredService<AuditQueryService>();
        var entries = audit.Search(new AuditQuery(SubjectId: subjectId, ActorId: officerId), 50).OrderBy(e => e.Sequence).Select(e => e.Record).ToList();
        Assert.Equal(
            [
                (AuditActions.InvitationCreate, AuditOutcomes.Attempted, "email,identity:passport"),
                (AuditActions.SubjectRectify, AuditOutcomes.Attempted, "email"),
                (AuditActions.SubjectRectify, AuditOutcomes.Success, "email"),
                (AuditActions.InvitationCreate, AuditOutcomes.Success, "email,identity:passport"),
            ],
            entries.Select(e => (e.Action, e.Outcome, e.Fields)));
        Assert.All(entries, e => Assert.Equal(AuditActors.Officer, e.ActorType));
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT created_by, identity_evidence FROM invitations;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal((officerId, "passport"), (reader.GetString(0), reader.GetString(1)));
    }

    [Fact]
    public async Task Invite_AddressAlreadyOnRecord_SendsWithoutRectifying()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        app.Monitor.Remember(Proven);
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Pere", email = Proven } });
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var browser = new PortalBrowser(app);
        var officerId = await DeskTesting.SignInOfficerAsync(app, browser);

        using var response = await browser.SubmitAsync("/desk/invite", Form(subjectId, "driving-licence", Proven.ToUpperInvariant(), confirmed: true));

        Assert.Contains("Invitation sent to p***@example.com.", WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        await DeliveredMail.WaitForEmlToAsync(app, Proven);
        var audit = app.Services.GetRequiredService<AuditQueryService>();
        Assert.Empty(audit.Search(new AuditQuery(SubjectId: subjectId, ActorId: officerId, Action: AuditActions.SubjectRectify), 10));
    }

    [Fact]
    public async Task Invite_WithoutTheIdentityCheck_ChangesAndSendsNothing_AndShowsTheErrors()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var subjectId = await CreateSubjectWithoutEmailAsync(api);
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        app.Monitor.Remember(Proven);

        using var response = await browser.SubmitAsync("/desk/invite", Form(subjectId, "a-library-card", Proven, confirmed: false));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("role=\"alert\"", page, StringComparison.Ordinal);
        Assert.Contains("Confirm that you checked the customer's identity and address.", page, StringComparison.Ordinal);
        Assert.Contains("Choose one of the identity documents listed.", page, StringComparison.Ordinal);
        AssertNothingSent(app);
        var read = await api.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{subjectId}?purpose=service-delivery");
        Assert.False(read.GetProperty("fields").TryGetProperty("email", out _));
    }

    [Fact]
    public async Task Invite_EmptyForm_ShowsEveryErrorAndSendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        using var response = await browser.SubmitAsync("/desk/invite", new Dictionary<string, string> { ["Input.SubjectId"] = "", ["Input.Email"] = "" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        foreach (var error in new[] { "Enter the customer's subject id.", "Choose the identity document you checked.", "Enter the e-mail address the customer proved is theirs.", "Confirm that you checked the customer's identity and address." })
        {
            Assert.Contains(error, page, StringComparison.Ordinal);
        }

        AssertNothingSent(app);
    }

    [Theory]
    [InlineData("0198c8a4-0000-7000-8000-000000000000", "No customer with this subject id is known to this vault.")]
    [InlineData("not-an-id", "No customer with this subject id is known to this vault.")]
    public async Task Invite_UnknownSubject_ShowsTheErrorAndSendsNothing(string subjectId, string error)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        app.Monitor.Remember(Proven);

        using var response = await browser.SubmitAsync("/desk/invite", Form(subjectId, "passport", Proven, confirmed: true));

        Assert.Contains(error, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        AssertNothingSent(app);
    }

    [Fact]
    public async Task Invite_AuditTrailUnavailable_Answers503AndChangesNothing()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["Audit:WriteTimeout"] = "00:00:00.300" });
        using var api = await app.CreateClientAsync("crm-eu");
        var subjectId = await CreateSubjectWithoutEmailAsync(api);
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);
        app.Monitor.Remember(Proven);
        var (_, form) = await browser.GetAsync("/desk/invite");

        using (SignedInCustomer.LockAuditTrail(app))
        {
            using var refused = await browser.PostAsync("/desk/invite", Form(subjectId, "passport", Proven, confirmed: true), PortalBrowser.AntiforgeryToken(form));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        }

        AssertNothingSent(app);
    }

    private static Dictionary<string, string> Form(string subjectId, string evidence, string email, bool confirmed)
    {
        var form = new Dictionary<string, string> { ["Input.SubjectId"] = subjectId, ["Input.Evidence"] = evidence, ["Input.Email"] = email };
        if (confirmed)
        {
            form["Input.Checked"] = "true";
        }

        return form;
    }

    private static async Task<string> CreateSubjectWithoutEmailAsync(HttpClient api)
    {
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Pere" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static void AssertNothingSent(DataVaultApplication app)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM invitations) + (SELECT COUNT(*) FROM mail_outbox) + (SELECT COUNT(*) FROM blind_index WHERE field = 'email');";
        Assert.Equal(0L, command.ExecuteScalar());
    }
}
