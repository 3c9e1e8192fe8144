using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// Invitations cannot be used to take a customer's account over: the vault e-mails the link to the
/// subject's own address on record (read here from a real SMTP server on loopback), the client gets
/// only that address masked, and the account signs in with that address.
/// </summary>
public sealed class InvitationEndpointsTests
{
    private const string Address = "ana.garcia@example.com";
    private const string Password = "correct horse battery staple";

    private sealed record Accepted(string SentTo, DateTimeOffset ExpiresAt);

    private sealed record Problem(int Status, string Title, string? Detail);

    [Fact]
    public async Task CreateInvitation_SubjectWithEmail_Returns202WithTheAddressMaskedAndNeverTheLink()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(time, smtp.Settings);
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Null(response.Headers.Location);
        var text = await response.Content.ReadAsStringAsync();
        var body = JsonSerializer.Deserialize<Accepted>(text, JsonSerializerOptions.Web)!;
        Assert.Equal(new Accepted("a***@example.com", time.GetUtcNow() + TimeSpan.FromDays(7)), body);
        var link = DeliveredMail.InvitationLink(await smtp.WaitForMessageToAsync(Address));
        var token = link.Query["?token=".Length..];
        app.Monitor.Remember(token);
        Assert.DoesNotContain(token, text, StringComparison.Ordinal);
        Assert.DoesNotContain("activate", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Address, text, StringComparison.Ordinal);

        // Only the SHA-256 of the token's 256 random bits is kept, bound to the address it went to.
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT token_hash, created_by, recipient_mask FROM invitations;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token)), (byte[])reader[0]);
        Assert.Equal(DataVaultApplication.DefaultClientId, reader.GetString(1));
        Assert.Equal("a***@example.com", reader.GetString(2));
    }

    [Fact]
    public async Task CreateInvitation_LinkArrivesBySmtpAtTheAddressOnRecord_AndActivatesOnceWithThatAddress()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client, new { email = Address, given_name = "Ana", preferred_language = "es" });

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).StatusCode);

        var message = await smtp.WaitForMessageToAsync(Address);
        Assert.Equal("Tu acceso al portal de privacidad", message.Subject);
        Assert.Equal("privacy@vault.example", message.From.Mailboxes.Single().Address);
        // No personal data beyond what the recipient already has: not even their name or address.
        Assert.DoesNotContain("Ana", message.TextBody!, StringComparison.Ordinal);
        Assert.DoesNotContain(Address, message.TextBody!, StringComparison.OrdinalIgnoreCase);
        var link = DeliveredMail.InvitationLink(message);
        Assert.Contains(link.ToString(), message.HtmlBody, StringComparison.Ordinal);
        app.Monitor.Remember(link.Query["?token=".Length..]);
        using (var browser = new PortalBrowser(app))
        {
            var (status, page) = await browser.GetAsync(link.PathAndQuery);
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.Contains("a***@example.com", page, StringComparison.Ordinal);
            await browser.ActivateAsync(link.PathAndQuery, Password);
            var (_, home) = await browser.GetAsync("/");
            Assert.Contains($"<strong>{Address}</strong>", home, StringComparison.Ordinal);
        }

        using var again = new PortalBrowser(app);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetAsync(link.PathAndQuery)).Status);
        using var signIn = await again.SignInAsync(Address, Password);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
    }

    [Fact]
    public async Task Activate_VisitorPostsAnotherAddress_TheAccountSignsInWithTheAddressOnRecord()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var (_, activation, _) = await PortalBrowser.InviteAsync(app, client, Address);
        using var browser = new PortalBrowser(app);
        app.Monitor.Remember("mallory@example.com");

        using var posted = await browser.SubmitAsync(activation, new Dictionary<string, string>
        {
            ["Input.Email"] = "mallory@example.com",
            ["Email"] = "mallory@example.com",
            ["Input.Password"] = Password,
            ["Input.ConfirmPassword"] = Password,
        });

        Assert.Equal(HttpStatusCode.Redirect, posted.StatusCode);
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT \"Email\" FROM \"AspNetUsers\";";
        Assert.Equal(Address, command.ExecuteScalar());
        using var mallory = await new PortalBrowser(app).SignInAsync("mallory@example.com", Password);
        Assert.Equal(HttpStatusCode.OK, mallory.StatusCode);
    }

    [Fact]
    public async Task CreateInvitation_WithSubjectsWriteButNotSubjectsInvite_Returns403AndSendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var writer = await app.CreateClientAsync("crm-writer", scopes: [Scopes.SubjectsWrite, Scopes.SubjectsRead]);
        var subjectId = await CreateSubjectAsync(writer);

        using var response = await writer.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        AssertNoInvitationOrMail(app);
    }

    [Fact]
    public async Task CreateInvitation_ClientWithoutAPurposeListingEmail_Returns403ProblemWithTheReason()
    {
        await using var app = new DataVaultApplication();
        using var writer = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(writer);
        using var inviter = await app.CreateClientAsync("crm-analytics", scopes: [Scopes.SubjectsInvite], purposes: ["analytics", "personalisation"]);

        using var response = await inviter.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Equal("No purpose for e-mail addresses", problem.Title);
        Assert.Contains("email", problem.Detail, StringComparison.Ordinal);
        AssertNoInvitationOrMail(app);
    }

    [Fact]
    public async Task CreateInvitation_OnlyTheInviteScopeAndAnEmailPurpose_IsEnough()
    {
        await using var app = new DataVaultApplication();
        using var writer = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(writer);
        using var inviter = await app.CreateClientAsync("crm-inviter", scopes: [Scopes.SubjectsInvite], purposes: ["marketing-email"]);

        using var response = await inviter.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await DeliveredMail.WaitForEmlToAsync(app, Address);
    }

    [Fact]
    public async Task CreateInvitation_SubjectWithoutEmailOnRecord_Returns409ProblemAndSendsNothing()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client, new { given_name = "Ana" });

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Equal((409, "No e-mail address on record"), (problem.Status, problem.Title));
        AssertNoInvitationOrMail(app);
    }

    [Fact]
    public async Task CreateInvitation_RequestNamesAnotherHost_MailedLinkIsAtThePublicOrigin()
    {
        // Development serves every Host header; the link must still point at the configured origin.
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?>
        {
            ["environment"] = "Development",
            ["Api:PublicOrigin"] = "https://privacy.example.com",
        });
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/subjects/{subjectId}/invitations");
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");

        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);

        var link = DeliveredMail.InvitationLink(await DeliveredMail.WaitForEmlToAsync(app, Address));
        app.Monitor.Remember(link.Query["?token=".Length..]);
        Assert.Equal("https://privacy.example.com/account/activate", link.GetLeftPart(UriPartial.Path));
    }

    [Theory]
    [InlineData("0198c8a4-0000-7000-8000-000000000000")]
    [InlineData("not-an-id")]
    public async Task CreateInvitation_UnknownSubject_Returns404Problem(string subjectId)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task CreateInvitation_ErasedSubject_Returns410Problem()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync($"/api/v1/subjects/{subjectId}")).StatusCode);

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Gone, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task CreateInvitation_SubjectWithAccount_Returns409Problem()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, client);
        using (var browser = new PortalBrowser(app))
        {
            await browser.ActivateAsync(activation, Password);
        }

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = (await response.Content.ReadFromJsonAsync<Problem>())!;
        Assert.Equal((409, "Account exists"), (problem.Status, problem.Title));
    }

    [Fact]
    public async Task CreateInvitation_Again_RevokesTheEarlierLink()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).StatusCode);
        var first = DeliveredMail.InvitationLink(await smtp.WaitForMessageToAsync(Address));
        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).StatusCode);
        var second = DeliveredMail.InvitationLink(await smtp.WaitForMessageAsync(m => DeliveredMail.InvitationLink(m) != first));
        app.Monitor.Remember(first.Query["?token=".Length..]);
        app.Monitor.Remember(second.Query["?token=".Length..]);
        using var browser = new PortalBrowser(app);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(first.PathAndQuery)).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(second.PathAndQuery)).Status);
    }

    [Fact]
    public async Task CreateInvitation_IsAuditedWithTheFieldUsed_AndItsDeliveryWithTheRecipientMasked()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        await using var app = new DataVaultApplication(settings: smtp.Settings);
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);

        Assert.Equal(HttpStatusCode.Accepted, (await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).StatusCode);
        app.Monitor.Remember(DeliveredMail.InvitationLink(await smtp.WaitForMessageToAsync(Address)).Query["?token=".Length..]);

        var audit = app.Services.GetRequiredService<AuditQueryService>();
        var created = audit.Search(new AuditQuery(SubjectId: subjectId, Action: AuditActions.InvitationCreate), 10).Select(e => e.Record).ToList();
        Assert.Contains(created, r => r is { Outcome: AuditOutcomes.Success, ActorType: AuditActors.Client, ActorId: DataVaultApplication.DefaultClientId, Fields: "email" });
        await WaitForAsync(() => audit.Search(new AuditQuery(SubjectId: subjectId, Action: AuditActions.MailSend), 10).Any(e => e.Record.Outcome == AuditOutcomes.Success));
        var sent = audit.Search(new AuditQuery(SubjectId: subjectId, Action: AuditActions.MailSend), 10).Single(e => e.Record.Outcome == AuditOutcomes.Success).Record;
        Assert.Equal("kind:invitation,to:a***@example.com", sent.Fields);
    }

    private static void AssertNoInvitationOrMail(DataVaultApplication app)
    {
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM invitations) + (SELECT COUNT(*) FROM mail_outbox);";
        Assert.Equal(0L, command.ExecuteScalar());
        Assert.False(Directory.Exists(Path.Combine(app.DataDirectory, "mail")) && Directory.EnumerateFiles(Path.Combine(app.DataDirectory, "mail")).Any());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + SmtpTestServer.DefaultWait;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The condition did not come true in time.");
            await Task.Delay(TimeSpan.FromMilliseconds(50));
        }
    }

    private static async Task<string> CreateSubjectAsync(HttpClient client, object? fields = null)
    {
        var created = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = fields ?? new { given_name = "Ana", email = Address } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }
}
