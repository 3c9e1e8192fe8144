using System.Collections.Concurrent;
using System.Net;
using System.Text;
using DataVault.Testing;

namespace DataVault.Client.Tests;

/// <summary>The token handler against a scripted token endpoint, with a clock the test moves.</summary>
public sealed class TokenHandlerTests
{
    private const string Secret = "s3cret-value-that-must-never-show";
    private static readonly Uri Vault = new("https://vault.example.com/");

    [Fact]
    public async Task SendAsync_RepeatedRequests_ReusesOneCachedToken()
    {
        var server = new ScriptedServer(expiresIn: 300);
        using var http = Client(server, new ManualTimeProvider());

        for (var i = 0; i < 3; i++)
        {
            await http.GetAsync("api/v1/purposes");
        }

        Assert.Equal(1, server.TokenRequests);
        Assert.All(server.ApiAuthorizations, a => Assert.Equal("Bearer token-1", a));
    }

    [Fact]
    public async Task SendAsync_SixtySecondsBeforeExpiry_RefreshesTheToken()
    {
        var server = new ScriptedServer(expiresIn: 300);
        var clock = new ManualTimeProvider();
        using var http = Client(server, clock);
        await http.GetAsync("api/v1/purposes");

        clock.Advance(TimeSpan.FromSeconds(239));
        await http.GetAsync("api/v1/purposes");
        clock.Advance(TimeSpan.FromSeconds(2));
        await http.GetAsync("api/v1/purposes");

        Assert.Equal(2, server.TokenRequests);
        Assert.Equal(["Bearer token-1", "Bearer token-1", "Bearer token-2"], server.ApiAuthorizations);
    }

    [Fact]
    public async Task SendAsync_ShortLivedToken_RefreshesAtHalfItsLifetime()
    {
        var server = new ScriptedServer(expiresIn: 30);
        var clock = new ManualTimeProvider();
        using var http = Client(server, clock);
        await http.GetAsync("api/v1/purposes");

        clock.Advance(TimeSpan.FromSeconds(14));
        await http.GetAsync("api/v1/purposes");
        clock.Advance(TimeSpan.FromSeconds(2));
        await http.GetAsync("api/v1/purposes");

        Assert.Equal(2, server.TokenRequests);
    }

    [Fact]
    public async Task SendAsync_ConcurrentRequestsWithoutToken_ShareOneTokenRequest()
    {
        var server = new ScriptedServer(expiresIn: 300, tokenDelay: TimeSpan.FromMilliseconds(200));
        using var http = Client(server, new ManualTimeProvider());

        await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => http.GetAsync("api/v1/purposes")));

        Assert.Equal(1, server.TokenRequests);
        Assert.Equal(20, server.ApiAuthorizations.Count);
    }

    [Fact]
    public async Task SendAsync_ApiAnswers401_RetriesOnceWithANewToken()
    {
        var server = new ScriptedServer(expiresIn: 300) { ApiCallsToReject = 1 };
        using var http = Client(server, new ManualTimeProvider());

        var response = await http.PostAsync("api/v1/subjects", new StringContent("{\"fields\":{}}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(["Bearer token-1", "Bearer token-2"], server.ApiAuthorizations);
        Assert.Equal(["{\"fields\":{}}", "{\"fields\":{}}"], server.ApiBodies);
    }

    [Fact]
    public async Task SendAsync_ApiAnswers401Again_ReturnsItWithoutLooping()
    {
        var server = new ScriptedServer(expiresIn: 300) { ApiCallsToReject = 5 };
        using var http = Client(server, new ManualTimeProvider());

        var response = await http.GetAsync("api/v1/purposes");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(2, server.TokenRequests);
        Assert.Equal(2, server.ApiAuthorizations.Count);
    }

    [Fact]
    public async Task SendAsync_TokenRequest_SendsClientCredentialsGrantWithBasicAuthAndScopes()
    {
        var server = new ScriptedServer(expiresIn: 300);
        using var http = Client(server, new ManualTimeProvider(), "subjects.read", "consents.write");

        await http.GetAsync("api/v1/purposes");

        var (authorization, form) = Assert.Single(server.TokenCalls);
        Assert.Equal("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("crm-eu:" + Secret)), authorization);
        Assert.Equal("grant_type=client_credentials&scope=subjects.read+consents.write", form);
    }

    [Fact]
    public async Task SendAsync_OtherOrigin_CarriesNoToken()
    {
        var server = new ScriptedServer(expiresIn: 300);
        using var http = Client(server, new ManualTimeProvider());

        await http.GetAsync("https://elsewhere.example.net/api/v1/purposes");

        Assert.Equal(0, server.TokenRequests);
        Assert.Equal(["(none)"], server.ApiAuthorizations);
    }

    [Fact]
    public async Task SendAsync_TokenEndpointRefuses_ThrowsTokenExceptionWithoutSecret()
    {
        var server = new ScriptedServer(expiresIn: 300) { RefuseTokens = true };
        using var http = Client(server, new ManualTimeProvider());

        var problem = await Assert.ThrowsAsync<DataVaultTokenException>(() => http.GetAsync("api/v1/purposes"));

        Assert.Equal("invalid_client", problem.Error);
        Assert.Equal(401, problem.Status);
        Assert.Equal("Client authentication failed.", problem.Detail);
        Assert.DoesNotContain(Secret, problem.ToString(), StringComparison.Ordinal);
        Assert.Empty(server.ApiAuthorizations);
    }

    [Fact]
    public void ToString_OptionsAndHandler_NeverShowTheSecret()
    {
        var options = Options();
        using var handler = new DataVaultTokenHandler(options);

        Assert.DoesNotContain(Secret, options.ToString(), StringComparison.Ordinal);
        Assert.Contains("crm-eu", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, handler.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://vault.example.com/")]
    [InlineData("vault.example.com")]
    public void Validate_PlainHttpToRemoteHostOrRelativeAddress_Throws(string address)
    {
        var options = Options();
        options.BaseAddress = new Uri(address, UriKind.RelativeOrAbsolute);

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    [Fact]
    public void Validate_PlainHttpToLoopback_IsAllowed()
    {
        var options = Options();
        options.BaseAddress = new Uri("http://localhost:5080");

        options.Validate();

        Assert.Equal(new Uri("http://localhost:5080/connect/token"), options.ResolvedTokenEndpoint);
    }

    [Fact]
    public void Validate_MissingSecret_Throws()
    {
        var options = Options();
        options.ClientSecret = string.Empty;

        Assert.Throws<InvalidOperationException>(options.Validate);
    }

    private static DataVaultClientOptions Options(params string[] scopes)
    {
        var options = new DataVaultClientOptions { BaseAddress = Vault, ClientId = "crm-eu", ClientSecret = Secret };
        foreach (var scope in scopes)
        {
            options.Scopes.Add(scope);
        }

        return options;
    }

    private static HttpClient Client(ScriptedServer server, TimeProvider time, params string[] scopes) =>
        new(new DataVaultTokenHandler(Options(scopes), server, time)) { BaseAddress = Vault };

    /// <summary>A token endpoint issuing token-1, token-2, ... and an API that records the Authorization it sees.</summary>
    private sealed class ScriptedServer(int expiresIn, TimeSpan tokenDelay = default) : HttpMessageHandler
    {
        private int _issued;

        public int TokenRequests => TokenCalls.Count;

        public ConcurrentQueue<(string? Authorization, string Form)> TokenCalls { get; } = new();

        public List<string> ApiAuthorizations { get; } = [];

        public bool RefuseTokens { get; init; }

        public int ApiCallsToReject { get; set; }

        public List<string> ApiBodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.RequestUri!.AbsolutePath == "/connect/token")
            {
                TokenCalls.Enqueue((request.Headers.Authorization?.ToString(), await request.Content!.ReadAsStringAsync(cancellationToken)));
                await Task.Delay(tokenDelay, cancellationToken);
                if (RefuseTokens)
                {
                    return Json(HttpStatusCode.Unauthorized, """{"error":"invalid_client","error_description":"Client authentication failed."}""");
                }

                var number = Interlocked.Increment(ref _issued);
                return Json(HttpStatusCode.OK, $$"""{"access_token":"token-{{number}}","token_type":"Bearer","expires_in":{{expiresIn}},"scope":"subjects.read"}""");
            }

            var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            lock (ApiAuthorizations)
            {
                ApiAuthorizations.Add(request.Headers.Authorization?.ToString() ?? "(none)");
                if (body is not null)
                {
                    ApiBodies.Add(body);
                }

                if (ApiCallsToReject > 0)
                {
                    ApiCallsToReject--;
                    return new HttpResponseMessage(HttpStatusCode.Unauthorized);
                }
            }

            return Json(HttpStatusCode.OK, """{"items":[]}""");
        }

        private static HttpResponseMessage Json(HttpStatusCode status, string body) =>
            new(status) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
    }
}
