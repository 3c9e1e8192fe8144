using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using DataVault.Testing;

namespace DataVault.Api.Tests;

/// <summary>Token introspection (RFC 7662): a client asks whether a token it holds is active.</summary>
public sealed class IntrospectionTests
{
    [Fact]
    public async Task Introspect_ItsOwnActiveToken_DescribesIt()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu", ["subjects.read"]);
        var token = await app.RequestTokenAsync("crm-eu", secret);

        var answer = await IntrospectAsync(app, "crm-eu", secret, token);

        Assert.True(answer.Active);
        Assert.Equal(("crm-eu", "crm-eu", "http://localhost/", "Bearer"), (answer.ClientId, answer.Subject, answer.Issuer, answer.TokenType));
        Assert.True(answer.ExpiresAt > answer.IssuedAt);
    }

    [Fact]
    public async Task Introspect_AnotherClientsExpiredOrUnknownToken_IsInactive()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        var secret = await app.RegisterClientAsync("crm-eu");
        var shopToken = await app.RequestTokenAsync("shop-x", await app.RegisterClientAsync("shop-x"));
        var own = await app.RequestTokenAsync("crm-eu", secret);

        Assert.False((await IntrospectAsync(app, "crm-eu", secret, shopToken)).Active);
        Assert.False((await IntrospectAsync(app, "crm-eu", secret, "not-a-token")).Active);
        time.Advance(TimeSpan.FromHours(2));
        Assert.False((await IntrospectAsync(app, "crm-eu", secret, own)).Active);
    }

    [Fact]
    public async Task Introspect_WithoutClientAuthenticationOrToken_ReturnsOAuthErrors()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        using var http = app.CreateClient();

        var anonymous = await http.PostAsync("/connect/introspect", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        await TokenEndpointTests.AssertOAuthErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_client");

        using var noToken = RevocationTests.Authenticated("/connect/introspect", "crm-eu", secret, []);
        await TokenEndpointTests.AssertOAuthErrorAsync(await http.SendAsync(noToken), HttpStatusCode.BadRequest, "invalid_request");
    }

    internal static async Task<Introspection> IntrospectAsync(DataVaultApplication app, string clientId, string secret, string token)
    {
        using var request = RevocationTests.Authenticated("/connect/introspect", clientId, secret, new() { ["token"] = token });
        var response = await app.CreateClient().SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<Introspection>())!;
    }

    internal sealed record Introspection(
        [property: JsonPropertyName("active")] bool Active,
        [property: JsonPropertyName("client_id")] string? ClientId,
        [property: JsonPropertyName("sub")] string? Subject,
        [property: JsonPropertyName("iss")] string? Issuer,
        [property: JsonPropertyName("token_type")] string? TokenType,
        [property: JsonPropertyName("exp")] long? ExpiresAt,
        [property: JsonPropertyName("iat")] long? IssuedAt);
}
