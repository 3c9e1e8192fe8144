using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Testing;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DataVault.Api.Tests;

public sealed class TokenEndpointTests
{
    [Fact]
    public async Task IssueToken_BasicAuthentication_ReturnsRfc9068AccessToken()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu", ["subjects.read", "subjects.write"], ["marketing-email"]);
        using var http = app.CreateClient();

        var response = await http.SendAsync(DataVaultApplication.TokenRequest("crm-eu", secret));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bearer", body.GetProperty("token_type").GetString());
        Assert.Equal(3600, body.GetProperty("expires_in").GetInt32());
        Assert.Equal("subjects.read subjects.write", body.GetProperty("scope").GetString());

        var token = new JsonWebToken(body.GetProperty("access_token").GetString());
        Assert.Equal("at+jwt", token.Typ);
        Assert.Equal("ES256", token.Alg);
        Assert.Equal("http://localhost", token.Issuer);
        Assert.Equal(["datavault-api"], token.Audiences);
        Assert.Equal("crm-eu", token.Subject);
        Assert.Equal("crm-eu", token.GetClaim("client_id").Value);
        Assert.Equal("subjects.read subjects.write", token.GetClaim("scope").Value);
        Assert.False(string.IsNullOrEmpty(token.Id));
        Assert.Equal(TimeSpan.FromHours(1), token.ValidTo - token.IssuedAt);

        var jwks = await http.GetFromJsonAsync<JsonElement>("/.well-known/jwks.json");
        var key = Assert.Single(jwks.GetProperty("keys").EnumerateArray());
        Assert.Equal(token.Kid, key.GetProperty("kid").GetString());
        Assert.Equal("EC", key.GetProperty("kty").GetString());
        Assert.False(key.TryGetProperty("d", out _), "The JWKS must never publish the private key.");
    }

    [Fact]
    public async Task IssueToken_SecretInForm_Succeeds()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-form");
        using var http = app.CreateClient();

        var response = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = "crm-form",
            ["client_secret"] = secret,
            ["scope"] = "subjects.read",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task IssueToken_WrongSecretOrUnknownClient_Returns401InvalidClient()
    {
        await using var app = new DataVaultApplication();
        await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        foreach (var (id, secret) in new[] { ("crm-eu", "wrong"), ("nobody", "wrong"), ("crm-eu", string.Empty) })
        {
            var response = await http.SendAsync(DataVaultApplication.TokenRequest(id, secret));
            await AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        var noCredentials = await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }));
        await AssertOAuthErrorAsync(noCredentials, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Theory]
    [InlineData("grant_type=password&username=a&password=b", "unsupported_grant_type")]
    [InlineData("grant_type=authorization_code&code=x", "unsupported_grant_type")]
    [InlineData("scope=subjects.read", "invalid_request")]
    [InlineData("grant_type=client_credentials&scope=audit.read", "invalid_scope")]
    [InlineData("grant_type=client_credentials&scope=everything", "invalid_scope")]
    [InlineData("grant_type=client_credentials&grant_type=client_credentials", "invalid_request")]
    public async Task IssueToken_BadRequest_Returns400WithOAuthError(string form, string error)
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu", ["subjects.read"]);
        using var http = app.CreateClient();
        using var request = DataVaultApplication.TokenRequest("crm-eu", secret);
        request.Content = new StringContent(form, System.Text.Encoding.UTF8, "application/x-www-form-urlencoded");

        await AssertOAuthErrorAsync(await http.SendAsync(request), HttpStatusCode.BadRequest, error);
    }

    [Fact]
    public async Task IssueToken_TwoAuthenticationMethodsOrJsonBody_Returns400()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        using var both = DataVaultApplication.TokenRequest("crm-eu", secret);
        both.Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials", ["client_secret"] = secret });
        await AssertOAuthErrorAsync(await http.SendAsync(both), HttpStatusCode.BadRequest, "invalid_request");

        using var json = DataVaultApplication.TokenRequest("crm-eu", secret);
        json.Content = JsonContent.Create(new { grant_type = "client_credentials" });
        await AssertOAuthErrorAsync(await http.SendAsync(json), HttpStatusCode.BadRequest, "invalid_request");
    }

    [Fact]
    public async Task ClientSecret_IsStoredOnlyAsAHash()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");

        var stored = (string)SubjectEndpointsTests.Scalar(app, "SELECT secret_hash FROM clients WHERE id = 'crm-eu';")!;

        Assert.StartsWith("pbkdf2-sha256$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DisabledClient_GetsNoTokenAndItsTokenIsRefusedAtOnce()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await app.RequestTokenAsync("crm-eu", secret));
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        SubjectEndpointsTests.Scalar(app, "UPDATE clients SET disabled_at = '2026-01-01T00:00:00.0000000Z' WHERE id = 'crm-eu';");

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
        await AssertOAuthErrorAsync(await app.CreateClient().SendAsync(DataVaultApplication.TokenRequest("crm-eu", secret)), HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task RemovedScope_IsRefusedAtOnceWithAnUnexpiredToken()
    {
        await using var app = new DataVaultApplication();
        using var http = await app.CreateClientAsync("crm-eu", scopes: ["subjects.read", "subjects.write"]);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        // Another process (or an operator with SQL) changes the client; the service is not told.
        SubjectEndpointsTests.Scalar(app, "UPDATE clients SET scopes = 'subjects.write' WHERE id = 'crm-eu';");

        Assert.Equal(HttpStatusCode.Forbidden, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task ClientDisabledByTheCliOfAnotherProcess_IsRefusedAtOnce()
    {
        await using var app = new DataVaultApplication();
        using var http = await app.CreateClientAsync("crm-eu");
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.AdminCli.RunAsync(["clients", "disable", "crm-eu"], output, error, app.CliSettings);
        Assert.True(code == 0, error.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);
    }

    [Fact]
    public async Task IssueToken_OverTheRateLimit_Returns429WithRetryAfter()
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["TokenService:TokenRequestsPerMinute"] = "2" });
        using var http = app.CreateClient();

        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await http.SendAsync(DataVaultApplication.TokenRequest("crm-eu", "wrong"));
        }

        Assert.Equal(HttpStatusCode.TooManyRequests, last!.StatusCode);
        Assert.True(last.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal("application/problem+json", last.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(DataVaultApplication.TokenRequest("other-client", "wrong"))).StatusCode);
    }

    [Fact]
    public async Task Metadata_DescribesTheTokenService()
    {
        await using var app = new DataVaultApplication();
        using var http = app.CreateClient();

        foreach (var path in new[] { "/.well-known/openid-configuration", "/.well-known/oauth-authorization-server" })
        {
            var metadata = await http.GetFromJsonAsync<JsonElement>(path);
            Assert.Equal("http://localhost", metadata.GetProperty("issuer").GetString());
            Assert.Equal("http://localhost/connect/token", metadata.GetProperty("token_endpoint").GetString());
            Assert.Equal("http://localhost/.well-known/jwks.json", metadata.GetProperty("jwks_uri").GetString());
            Assert.Equal(["client_credentials"], metadata.GetProperty("grant_types_supported").EnumerateArray().Select(e => e.GetString()));
        }
    }

    [Fact]
    public async Task AccessToken_AfterExpiry_IsRefused()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery")).StatusCode);

        time.Advance(TimeSpan.FromMinutes(61));

        var response = await client.GetAsync("/api/v1/subjects?email=a@example.com&purpose=service-delivery");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    private static async Task AssertOAuthErrorAsync(HttpResponseMessage response, HttpStatusCode status, string error)
    {
        Assert.Equal(status, response.StatusCode);
        var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        Assert.Equal(error, body.GetProperty("error").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("error_description").GetString()));
    }
}
