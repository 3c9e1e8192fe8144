using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tests;

/// <summary>
/// With <c>Authentication:Schemes:Bearer:Authority</c> set, the API trusts an external identity
/// provider instead of its own token service, by configuration only. The provider here is a second
/// in-process issuer shaped like Entra ID (<c>azp</c>, <c>scp</c>, <c>typ: JWT</c>).
/// </summary>
public sealed class ExternalAuthorityTests : IAsyncLifetime
{
    private const string Authority = "https://idp.example.test/tenant";
    private const string Audience = "api://datavault";
    private readonly ECDsa _idpKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    private WebApplication? _idp;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseTestServer();
        _idp = builder.Build();
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(_idpKey) { KeyId = "idp-key-1" });
        _idp.MapGet("/tenant/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Authority,
            ["jwks_uri"] = $"{Authority}/keys",
            ["token_endpoint"] = $"{Authority}/token",
            ["id_token_signing_alg_values_supported"] = new[] { "ES256" },
        }));
        _idp.MapGet("/tenant/keys", () => Results.Json(new { keys = new[] { new { kty = jwk.Kty, crv = jwk.Crv, x = jwk.X, y = jwk.Y, kid = jwk.Kid, use = "sig", alg = "ES256" } } }));
        await _idp.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (_idp is not null)
        {
            await _idp.DisposeAsync();
        }

        _idpKey.Dispose();
    }

    [Fact]
    public async Task ExternalToken_WithScopeForRegisteredClient_IsAccepted()
    {
        await using var app = CreateApp();
        await app.RegisterClientAsync("external-crm", [Scopes.SubjectsRead], ["marketing-email"]);
        using var http = app.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Mint(_idpKey, Authority, Audience, "external-crm", "subjects.read"));

        var read = await http.GetAsync("/api/v1/subjects?email=a@example.com&purpose=marketing-email");
        Assert.True(read.StatusCode == HttpStatusCode.OK, read.Headers.WwwAuthenticate.ToString());
        Assert.Equal(HttpStatusCode.Forbidden, (await http.PostAsync("/api/v1/subjects", new StringContent("""{"fields": {}}""", System.Text.Encoding.UTF8, "application/json"))).StatusCode);
    }

    [Fact]
    public async Task ExternalMode_RefusesForeignKeysWrongAudienceUnknownClients_AndHasNoTokenEndpoint()
    {
        await using var app = CreateApp();
        await app.RegisterClientAsync("external-crm", [Scopes.SubjectsRead]);
        using var http = app.CreateClient();
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        foreach (var token in new[]
        {
            Mint(otherKey, Authority, Audience, "external-crm", "subjects.read"),
            Mint(_idpKey, Authority, "api://someone-else", "external-crm", "subjects.read"),
            Mint(_idpKey, "https://evil.example.test", Audience, "external-crm", "subjects.read"),
            Mint(_idpKey, Authority, Audience, "unregistered-crm", "subjects.read"),
        })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/subjects?email=a@example.com&purpose=service-delivery");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(request)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }))).StatusCode);
    }

    private DataVaultApplication CreateApp() => new(
        settings: new Dictionary<string, string?>
        {
            ["Authentication:Schemes:Bearer:Authority"] = Authority,
            ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        },
        configureServices: services => services.Configure<JwtBearerOptions>(
            JwtBearerDefaults.AuthenticationScheme,
            bearer => bearer.BackchannelHttpHandler = _idp!.GetTestServer().CreateHandler()));

    private static string Mint(ECDsa key, string issuer, string audience, string clientId, string scopes)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            IssuedAt = now,
            NotBefore = now,
            Expires = now.AddMinutes(30),
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "idp-key-1" }, SecurityAlgorithms.EcdsaSha256),
            Claims = new Dictionary<string, object> { ["azp"] = clientId, ["scp"] = scopes, ["sub"] = Guid.NewGuid().ToString() },
        });
    }
}
