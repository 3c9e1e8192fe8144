using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace DataVault.Api.Tests;

/// <summary>
/// Clients that authenticate with a key instead of a secret (private_key_jwt, RFC 7523 §2.2): the client
/// registers its public key, and signs a short-lived assertion for each token request, used once.
/// </summary>
public sealed class ClientAssertionTests : IDisposable
{
    private readonly ECDsa _key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

    public void Dispose() => _key.Dispose();

    [Fact]
    public async Task ClientsAdd_WithAPublicKey_IssuesTokensForSignedAssertionsAndNoSecret()
    {
        await using var app = new DataVaultApplication();
        var (code, output, error) = await RunAsync(app, "clients", "add", "crm-key", "--name", "Key CRM", "--scope", "subjects.read", "--jwk", PublicJwk(_key));
        Assert.True(code == 0, error);
        Assert.Contains("auth:        private_key_jwt", output, StringComparison.Ordinal);
        Assert.DoesNotContain("secret:", output, StringComparison.Ordinal);

        var response = await RequestTokenAsync(app, Assertion(app, _key, "crm-key"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<TokenEndpointTests.TokenResponse>())!.AccessToken;
        app.Monitor.Remember(token);
        Assert.Equal("crm-key", new JsonWebToken(token).Subject);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, token));
    }

    [Fact]
    public async Task ClientAssertion_UsedTwice_IsRefusedTheSecondTime()
    {
        await using var app = new DataVaultApplication();
        await RegisterAsync(app);
        var assertion = Assertion(app, _key, "crm-key");

        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(app, assertion)).StatusCode);
        await TokenEndpointTests.AssertOAuthErrorAsync(await RequestTokenAsync(app, assertion), HttpStatusCode.Unauthorized, "invalid_client");
    }

    /// <summary>
    /// Each flaw and the error it gets: a client assertion that fails any check is a failed client
    /// authentication, <c>invalid_client</c> (RFC 7523 §3.2), answered with 401 (RFC 6749 §5.2).
    /// </summary>
    public static TheoryData<string, string> Refused => new()
    {
        { "no jti", "invalid_client" },
        { "valid for an hour", "invalid_client" },
        { "signed by another key", "invalid_client" },
        { "type JWT", "invalid_client" },
        { "audience is the token endpoint", "invalid_client" },
        { "issued by another client", "invalid_client" },
        { "expired", "invalid_client" },
    };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ClientAssertion_NotAsRfc7523AndThisServerRequire_IsRefused(string flaw, string error)
    {
        await using var app = new DataVaultApplication();
        await RegisterAsync(app);
        using var otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var assertion = flaw switch
        {
            "no jti" => Assertion(app, _key, "crm-key", jti: null),
            "valid for an hour" => Assertion(app, _key, "crm-key", lifetime: TimeSpan.FromHours(1)),
            "signed by another key" => Assertion(app, otherKey, "crm-key"),
            "type JWT" => Assertion(app, _key, "crm-key", type: "JWT"),
            "audience is the token endpoint" => Assertion(app, _key, "crm-key", audience: "http://localhost/connect/token"),
            "issued by another client" => Assertion(app, _key, "crm-other"),
            _ => Assertion(app, _key, "crm-key", lifetime: TimeSpan.FromMinutes(-1)),
        };

        var response = await RequestTokenAsync(app, assertion);

        await TokenEndpointTests.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, error);
    }

    /// <summary>
    /// Revocation (RFC 7009 §2.1) and introspection (RFC 7662 §2.1) authenticate the client as the token
    /// endpoint does, so an assertion for another audience is <c>invalid_client</c> there too, never the
    /// resource server's <c>invalid_token</c>.
    /// </summary>
    [Theory]
    [InlineData("/connect/revoke")]
    [InlineData("/connect/introspect")]
    public async Task ClientAssertion_ForAnotherAudienceAtRevocationOrIntrospection_IsInvalidClient(string endpoint)
    {
        await using var app = new DataVaultApplication();
        await RegisterAsync(app);
        var token = (await (await RequestTokenAsync(app, Assertion(app, _key, "crm-key"))).Content.ReadFromJsonAsync<TokenEndpointTests.TokenResponse>())!.AccessToken;
        app.Monitor.Remember(token);
        using var http = app.CreateMonitoredClient();

        var response = await http.PostAsync(endpoint, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = token,
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = Assertion(app, _key, "crm-key", audience: "http://localhost" + endpoint),
        }));

        await TokenEndpointTests.AssertOAuthErrorAsync(response, HttpStatusCode.Unauthorized, "invalid_client");
    }

    [Fact]
    public async Task RotateSecret_WithANewKey_OldKeyAndItsTokensStopWorking()
    {
        await using var app = new DataVaultApplication();
        await RegisterAsync(app);
        var response = await RequestTokenAsync(app, Assertion(app, _key, "crm-key"));
        var token = (await response.Content.ReadFromJsonAsync<TokenEndpointTests.TokenResponse>())!.AccessToken;
        app.Monitor.Remember(token);
        using var newKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        var (code, _, error) = await RunAsync(app, "clients", "rotate-secret", "crm-key", "--jwk", PublicJwk(newKey));
        Assert.True(code == 0, error);

        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, token));
        Assert.Equal(HttpStatusCode.Unauthorized, (await RequestTokenAsync(app, Assertion(app, _key, "crm-key"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await RequestTokenAsync(app, Assertion(app, newKey, "crm-key"))).StatusCode);
    }

    [Theory]
    [InlineData("private")]
    [InlineData("symmetric")]
    [InlineData("P-384")]
    [InlineData("not json")]
    public async Task ClientsAdd_WithAKeyThatIsNotAPublicSigningKey_IsRefused(string kind)
    {
        await using var app = new DataVaultApplication();
        var parameters = _key.ExportParameters(includePrivateParameters: true);
        var jwk = kind switch
        {
            "private" => JsonSerializer.Serialize(new { kty = "EC", crv = "P-256", x = Base64UrlEncoder.Encode(parameters.Q.X), y = Base64UrlEncoder.Encode(parameters.Q.Y), d = Base64UrlEncoder.Encode(parameters.D) }),
            "symmetric" => """{"kty":"oct","k":"c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0"}""",
            "P-384" => PublicJwk(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
            _ => "{not json",
        };

        var (code, _, error) = await RunAsync(app, "clients", "add", "crm-key", "--name", "Key CRM", "--jwk", jwk);

        Assert.NotEqual(0, code);
        Assert.StartsWith("jwk:", error, StringComparison.Ordinal);
    }

    private async Task RegisterAsync(DataVaultApplication app)
    {
        var (code, _, error) = await RunAsync(app, "clients", "add", "crm-key", "--name", "Key CRM", "--scope", "subjects.read", "--jwk", PublicJwk(_key));
        Assert.True(code == 0, error);
        var (otherCode, otherOutput, otherError) = await RunAsync(app, "clients", "add", "crm-other", "--name", "Other CRM", "--scope", "subjects.read");
        Assert.True(otherCode == 0, otherError);
        app.Monitor.Remember(otherOutput.Split('\n').Single(l => l.StartsWith("secret:", StringComparison.Ordinal))["secret:".Length..].Trim());
    }

    private static async Task<(int Code, string Output, string Error)> RunAsync(DataVaultApplication app, params string[] args)
    {
        _ = app.Services;
        using var output = new StringWriter();
        using var error = new StringWriter();
        var code = await Cli.AdminCli.RunAsync(args, output, error, app.CliSettings);
        return (code, output.ToString(), error.ToString());
    }

    private static async Task<HttpResponseMessage> RequestTokenAsync(DataVaultApplication app, string assertion)
    {
        using var http = app.CreateMonitoredClient();
        return await http.PostAsync("/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_assertion_type"] = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
            ["client_assertion"] = assertion,
        }));
    }

    /// <summary>An assertion as RFC 7523 and this server ask for: typ client-authentication+jwt, iss = sub = the client, aud = the issuer, a jti, a few minutes' life.</summary>
    private static string Assertion(
        DataVaultApplication app, ECDsa key, string clientId, string? jti = "", TimeSpan? lifetime = null, string type = "client-authentication+jwt", string audience = "http://localhost/")
    {
        var now = DateTime.UtcNow;
        var claims = new Dictionary<string, object> { ["sub"] = clientId };
        if (jti is not null)
        {
            claims["jti"] = jti.Length == 0 ? Guid.NewGuid().ToString() : jti;
        }

        var assertion = new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = clientId,
            Audience = audience,
            IssuedAt = now,
            Expires = now + (lifetime ?? TimeSpan.FromMinutes(2)),
            TokenType = type,
            Claims = claims,
            SigningCredentials = new SigningCredentials(new ECDsaSecurityKey(key) { KeyId = "crm-key-1" }, SecurityAlgorithms.EcdsaSha256),
        });
        app.Monitor.Remember(assertion);
        return assertion;
    }

    private static string PublicJwk(ECDsa key)
    {
        var parameters = key.ExportParameters(includePrivateParameters: false);
        var curve = parameters.Curve.Oid.FriendlyName switch { "nistP256" or "ECDSA_P256" => "P-256", _ => "P-384" };
        return JsonSerializer.Serialize(new { kty = "EC", crv = curve, x = Base64UrlEncoder.Encode(parameters.Q.X), y = Base64UrlEncoder.Encode(parameters.Q.Y), kid = "crm-key-1", use = "sig", alg = "ES256" });
    }
}
