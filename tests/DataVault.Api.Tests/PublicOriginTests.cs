using System.Net;
using System.Net.Http.Json;
using DataVault.Api.Hosting;
using DataVault.Vault;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DataVault.Api.Tests;

/// <summary>
/// Behind a proxy it stays correct: the addresses the service hands out come from <c>Api:PublicOrigin</c>,
/// never from a request's Host header; outside Development only that host is served; and forwarded
/// headers are believed only from the proxies configured in <c>ForwardedHeaders</c>.
/// </summary>
public sealed class PublicOriginTests
{
    private const string Origin = "https://vault.example.com";

    private sealed record Metadata(string Issuer, string TokenEndpoint, string JwksUri);

    [Fact]
    public async Task MetadataAndTokens_RequestNamesAnotherHost_StillNameTheConfiguredOrigin()
    {
        // Development, where every Host is served: the answer must still not follow it.
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["environment"] = "Development", ["Api:PublicOrigin"] = Origin });
        var secret = await app.RegisterClientAsync("crm-eu");
        using var http = app.CreateClient();

        using var metadataRequest = Spoofed(new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration"));
        using var metadataResponse = await http.SendAsync(metadataRequest);
        var metadata = (await metadataResponse.Content.ReadFromJsonAsync<Metadata>(new System.Text.Json.JsonSerializerOptions { PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower }))!;
        Assert.Equal(new Metadata($"{Origin}/", $"{Origin}/connect/token", $"{Origin}/.well-known/jwks.json"), metadata);

        using var tokenRequest = Spoofed(DataVaultApplication.TokenRequest("crm-eu", secret));
        using var tokenResponse = await http.SendAsync(tokenRequest);
        Assert.Equal(HttpStatusCode.OK, tokenResponse.StatusCode);
        var token = (await tokenResponse.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
        app.Monitor.Remember(token);
        Assert.Equal($"{Origin}/", new JsonWebToken(token).Issuer);

        // The token is this service's wherever the request says it is going.
        using var read = Spoofed(new HttpRequestMessage(HttpMethod.Get, "/api/v1/subjects?email=a@example.com&purpose=service-delivery"));
        read.Headers.Authorization = new("Bearer", token);
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(read)).StatusCode);
    }

    [Fact]
    public async Task AccessToken_IssuedForAnotherOrigin_IsRefused()
    {
        await using var app = new DataVaultApplication();
        await app.RegisterClientAsync("crm-eu");
        var foreign = await MintedTokens.MintAsync(app, "http://evil.example/", "datavault-api", "crm-eu", ["subjects.read"]);

        using var http = app.CreateMonitoredClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/subjects?email=a@example.com");
        request.Headers.Authorization = new("Bearer", foreign);
        request.Headers.Host = "evil.example";

        Assert.NotEqual(HttpStatusCode.OK, (await http.SendAsync(request)).StatusCode);
    }

    [Theory]
    [InlineData(null, "evil.example", HttpStatusCode.BadRequest)]
    [InlineData("*", "evil.example", HttpStatusCode.BadRequest)]
    [InlineData(null, "localhost", HttpStatusCode.OK)]
    [InlineData("probe.internal", "probe.internal", HttpStatusCode.OK)]
    public async Task Request_OutsideDevelopment_IsServedOnlyForThePublicHostAndListedHosts(string? allowedHosts, string host, HttpStatusCode expected)
    {
        await using var app = new DataVaultApplication(settings: new Dictionary<string, string?> { ["AllowedHosts"] = allowedHosts });
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/.well-known/openid-configuration");
        request.Headers.Host = host;

        Assert.Equal(expected, (await http.SendAsync(request)).StatusCode);
    }

    [Fact]
    public async Task ForwardedHeaders_FromAnUnknownAddress_ChangeNothing()
    {
        // A proxy is configured, but the request comes straight from 127.0.0.1, which is not it.
        await using var app = new DataVaultApplication(settings: Proxied(("ForwardedHeaders:KnownProxies", "10.20.30.40")));
        app.StartOnLoopback();
        using var http = app.CreateClient();

        using var page = await http.SendAsync(ForwardedFrom("203.0.113.7", new HttpRequestMessage(HttpMethod.Get, "/account/login")));

        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.False(page.Headers.Contains("Strict-Transport-Security"));
        Assert.All(page.Headers.GetValues("Set-Cookie"), cookie => Assert.DoesNotContain("secure", cookie, StringComparison.OrdinalIgnoreCase));

        // Both token requests count against the one real address, whatever X-Forwarded-For claims.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(ForwardedFrom("203.0.113.7", AnonymousTokenRequest()))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await http.SendAsync(ForwardedFrom("203.0.113.8", AnonymousTokenRequest()))).StatusCode);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "127.0.0.1")]
    [InlineData("ForwardedHeaders:KnownNetworks", "127.0.0.0/8")]
    public async Task ForwardedHeaders_FromAKnownProxy_AreBelieved(string key, string value)
    {
        await using var app = new DataVaultApplication(settings: Proxied((key, value)));
        app.StartOnLoopback();
        using var http = app.CreateClient();

        using var page = await http.SendAsync(ForwardedFrom("203.0.113.7", new HttpRequestMessage(HttpMethod.Get, "/account/login")));

        // The customer reached the proxy over HTTPS: HSTS is sent and cookies are Secure.
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Matches(@"^max-age=\d{7,}", Assert.Single(page.Headers.GetValues("Strict-Transport-Security")));
        Assert.All(page.Headers.GetValues("Set-Cookie"), cookie => Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase));

        // Each forwarded address is a client of its own for the rate limit.
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(ForwardedFrom("203.0.113.7", AnonymousTokenRequest()))).StatusCode);
        Assert.NotEqual(HttpStatusCode.TooManyRequests, (await http.SendAsync(ForwardedFrom("203.0.113.8", AnonymousTokenRequest()))).StatusCode);
    }

    [Fact]
    public async Task Service_OutsideDevelopmentWithoutPublicOrigin_RefusesToStartWithOneParagraph()
    {
        using var directory = new TempDirectory();
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Vault__DataDirectory"] = directory.Path,
        };
        foreach (var (key, value) in TestKeyRing.Settings)
        {
            environment[key.Replace(":", "__", StringComparison.Ordinal)] = value!;
        }

        var (code, output, error) = await ServiceProcess.RunToExitAsync(directory.Path, environment);

        Assert.Equal(3, code);
        Assert.Contains("Api:PublicOrigin is not set", error, StringComparison.Ordinal);
        Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.DoesNotContain("   at ", error + output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("TokenService:Issuer")]
    [InlineData("Portal:PublicBaseUrl")]
    public void Resolve_AFormerAddressSetting_IsRefusedNamingItsReplacement(string former)
    {
        var configuration = Configuration((former, "https://vault.example.com"), ("Api:PublicOrigin", Origin));

        var refused = Assert.Throws<ServiceConfigurationException>(() => PublicOriginExtensions.Resolve(configuration, Environment("Production")));

        Assert.Contains(former, refused.Message, StringComparison.Ordinal);
        Assert.Contains("Api:PublicOrigin", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("vault.example.com")]
    [InlineData("ftp://vault.example.com")]
    [InlineData("https://vault.example.com/portal")]
    [InlineData("https://user@vault.example.com")]
    [InlineData("https://vault.example.com/?a=b")]
    public void Resolve_NotAnOrigin_IsRefused(string configured)
    {
        var configuration = Configuration(("Api:PublicOrigin", configured));

        var refused = Assert.Throws<ServiceConfigurationException>(() => PublicOriginExtensions.Resolve(configuration, Environment("Production")));

        Assert.Contains("is not an origin", refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://localhost:5080", "http://localhost:5080")]
    [InlineData("http://*:5080;https://*:5081", "http://localhost:5080")]
    [InlineData(null, "http://localhost:5000")]
    public void Resolve_InDevelopmentWithoutSetting_UsesTheFirstListeningAddress(string? urls, string expected)
    {
        var origin = PublicOriginExtensions.Resolve(Configuration(("urls", urls)), Environment(Environments.Development));

        Assert.Equal(expected, origin.Url);
    }

    [Theory]
    [InlineData("ForwardedHeaders:KnownProxies", "10.0.0.300")]
    [InlineData("ForwardedHeaders:KnownNetworks", "10.0.0.0/33")]
    [InlineData("ForwardedHeaders:KnownNetworks", "proxy.internal")]
    public void ReadProxies_NotAnAddressOrNetwork_IsRefused(string key, string value)
    {
        var refused = Assert.Throws<ServiceConfigurationException>(() => PublicOriginExtensions.ReadProxies(Configuration((key, value))));

        Assert.Contains(value, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadProxies_ListOrSeparatedValue_ReadsEveryEntry()
    {
        var proxies = PublicOriginExtensions.ReadProxies(Configuration(
            ("ForwardedHeaders:KnownProxies:0", "10.0.0.5"),
            ("ForwardedHeaders:KnownProxies:1", "10.0.0.6"),
            ("ForwardedHeaders:KnownNetworks", "192.168.0.0/16, 2001:db8::/32")));

        Assert.Equal(["10.0.0.5", "10.0.0.6"], proxies.Addresses.Select(a => a.ToString()));
        Assert.Equal(["192.168.0.0/16", "2001:db8::/32"], proxies.Networks.Select(n => n.ToString()));
    }

    /// <summary>Names another host, as a client or anyone in between may, in every header that could carry one.</summary>
    private static HttpRequestMessage Spoofed(HttpRequestMessage request)
    {
        request.Headers.Host = "evil.example";
        request.Headers.Add("X-Forwarded-Host", "evil.example");
        request.Headers.Add("X-Forwarded-Proto", "http");
        return request;
    }

    private static HttpRequestMessage ForwardedFrom(string client, HttpRequestMessage request)
    {
        // Sent to 127.0.0.1 as the public host, which HSTS does not exclude the way it does localhost.
        request.Headers.Host = "vault.example.com";
        request.Headers.Add("X-Forwarded-For", client);
        request.Headers.Add("X-Forwarded-Proto", "https");
        return request;
    }

    /// <summary>A token request without client credentials: rate limited by the caller's address.</summary>
    private static HttpRequestMessage AnonymousTokenRequest() => new(HttpMethod.Post, "/connect/token")
    {
        Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["grant_type"] = "client_credentials" }),
    };

    private static Dictionary<string, string?> Proxied((string Key, string Value) proxy) => new()
    {
        ["Api:PublicOrigin"] = Origin,
        ["TokenService:TokenRequestsPerAddressPerMinute"] = "1",
        [proxy.Key] = proxy.Value,
    };

    private static IConfiguration Configuration(params (string Key, string? Value)[] settings) =>
        new ConfigurationBuilder().AddInMemoryCollection(settings.Select(s => KeyValuePair.Create(s.Key, s.Value))).Build();

    private static HostingEnvironment Environment(string name) => new() { EnvironmentName = name };
}
