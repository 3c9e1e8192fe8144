using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Testing;

namespace DataVault.Api.Tests;

public sealed class InvitationEndpointsTests
{
    [Fact]
    public async Task CreateInvitation_ActiveSubject_Returns201WithAOneTimeExpiringLink()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.NoStore);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var link = new Uri(body.GetProperty("activationUrl").GetString()!);
        Assert.Equal("http://localhost/account/activate", link.GetLeftPart(UriPartial.Path));
        var token = link.Query["?token=".Length..];
        app.Monitor.Remember(token);
        Assert.Matches("^[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(time.GetUtcNow() + TimeSpan.FromDays(7), body.GetProperty("expiresAt").GetDateTimeOffset());

        // Only the SHA-256 of the token's 256 random bits is kept.
        using var db = app.OpenDatabase();
        using var command = db.CreateCommand();
        command.CommandText = "SELECT token_hash, created_by FROM invitations;";
        using var reader = command.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(SHA256.HashData(System.Buffers.Text.Base64Url.DecodeFromChars(token)), (byte[])reader[0]);
        Assert.Equal(DataVaultApplication.DefaultClientId, reader.GetString(1));
    }

    [Fact]
    public async Task CreateInvitation_RequestNamesAnotherHost_LinkIsAtThePublicOrigin()
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

        var body = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.StartsWith("https://privacy.example.com/account/activate?token=", body.GetProperty("activationUrl").GetString(), StringComparison.Ordinal);
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
            await browser.ActivateAsync(activation, "ana@example.com", "correct horse battery staple");
        }

        using var response = await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(409, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task CreateInvitation_Again_RevokesTheEarlierLink()
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(client);
        var first = await ActivationPathAsync(client, subjectId);
        var second = await ActivationPathAsync(client, subjectId);
        using var browser = new PortalBrowser(app);

        Assert.Equal(HttpStatusCode.NotFound, (await browser.GetAsync(first)).Status);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync(second)).Status);
    }

    [Fact]
    public async Task CreateInvitation_WithoutSubjectsWrite_Returns403()
    {
        await using var app = new DataVaultApplication();
        using var writer = await app.CreateClientAsync();
        var subjectId = await CreateSubjectAsync(writer);
        using var reader = await app.CreateClientAsync("crm-reader", scopes: ["subjects.read"]);

        using var response = await reader.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }

    private static async Task<string> CreateSubjectAsync(HttpClient client)
    {
        var created = await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Ana" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<string> ActivationPathAsync(HttpClient client, string subjectId)
    {
        var body = await (await client.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null)).Content.ReadFromJsonAsync<JsonElement>();
        return new Uri(body.GetProperty("activationUrl").GetString()!).PathAndQuery;
    }
}
