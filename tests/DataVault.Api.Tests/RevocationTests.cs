using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using DataVault.Testing;
using DataVault.Vault.Clients;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// Revocation that bites: a revoked token (RFC 7009), a rotated secret or a disabled client makes every
/// token issued before fail at its next request, in this process or after a change made by another one.
/// </summary>
public sealed class RevocationTests
{
    // A read every client registered for subjects.read may make, whatever its purposes.
    private const string Read = "/api/v1/purposes";

    [Fact]
    public async Task Revoke_AnAccessToken_ItFailsAtTheNextRequestAndIsNoLongerActive()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        var other = await app.RequestTokenAsync("crm-eu", secret);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, token));

        using var revoke = Authenticated("/connect/revoke", "crm-eu", secret, new() { ["token"] = token, ["token_type_hint"] = "access_token" });
        var response = await app.CreateClient().SendAsync(revoke);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(app, token));
        Assert.False((await IntrospectionTests.IntrospectAsync(app, "crm-eu", secret, token)).Active);

        // Only that token: the client's other one still works.
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, other));
    }

    [Fact]
    public async Task Revoke_AnUnknownOrAnotherClientsToken_Answers200AndRevokesNothing()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var shopSecret = await app.RegisterClientAsync("shop");
        var shopToken = await app.RequestTokenAsync("shop", shopSecret);

        // RFC 7009 §2.2: an invalid token is answered 200, so the answer says nothing about it.
        foreach (var token in new[] { "not-a-token", shopToken })
        {
            using var revoke = Authenticated("/connect/revoke", "crm-eu", secret, new() { ["token"] = token });
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(revoke)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, shopToken));
    }

    [Fact]
    public async Task Revoke_WithoutClientAuthenticationOrToken_ReturnsOAuthErrors()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        using var http = app.CreateClient();

        var anonymous = await http.PostAsync("/connect/revoke", new FormUrlEncodedContent(new Dictionary<string, string> { ["token"] = token }));
        await TokenEndpointTests.AssertOAuthErrorAsync(anonymous, HttpStatusCode.Unauthorized, "invalid_client");

        using var wrongSecret = Authenticated("/connect/revoke", "crm-eu", "wrong", new() { ["token"] = token });
        await TokenEndpointTests.AssertOAuthErrorAsync(await http.SendAsync(wrongSecret), HttpStatusCode.Unauthorized, "invalid_client");

        using var noToken = Authenticated("/connect/revoke", "crm-eu", secret, []);
        await TokenEndpointTests.AssertOAuthErrorAsync(await http.SendAsync(noToken), HttpStatusCode.BadRequest, "invalid_request");

        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, token));
    }

    [Fact]
    public async Task RotateSecret_ThroughTheService_EarlierTokensFailAtTheNextRequest()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, token));

        string rotated;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            rotated = (await scope.ServiceProvider.GetRequiredService<ClientService>().RotateSecretAsync("crm-eu", CancellationToken.None)).Value!.Secret!;
            app.Monitor.Remember(rotated);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(app, token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.CreateClient().SendAsync(DataVaultApplication.TokenRequest("crm-eu", secret))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, await app.RequestTokenAsync("crm-eu", rotated)));
    }

    [Fact]
    public async Task RotateSecret_ByTheCliOfAnotherProcess_EarlierTokensFailAtTheNextRequest()
    {
        await using var app = new DataVaultApplication();
        var secret = await app.RegisterClientAsync("crm-eu");
        var token = await app.RequestTokenAsync("crm-eu", secret);
        Assert.Equal(HttpStatusCode.OK, await ReadAsync(app, token));

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.True(await Cli.AdminCli.RunAsync(["clients", "rotate-secret", "crm-eu"], output, error, app.CliSettings) == 0, error.ToString());
        app.Monitor.Remember(output.ToString().Split('\n').Single(l => l.StartsWith("secret:", StringComparison.Ordinal))["secret:".Length..].Trim());

        Assert.Equal(HttpStatusCode.Unauthorized, await ReadAsync(app, token));
    }

    internal static async Task<HttpStatusCode> ReadAsync(DataVaultApplication app, string token)
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, Read);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (await http.SendAsync(request)).StatusCode;
    }

    /// <summary>A form POST authenticated with HTTP Basic (client_secret_basic).</summary>
    internal static HttpRequestMessage Authenticated(string path, string clientId, string secret, Dictionary<string, string> form)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{clientId}:{secret}")));
        return request;
    }
}
