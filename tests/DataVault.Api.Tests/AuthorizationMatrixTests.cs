using System.Net;
using System.Net.Http.Headers;
using System.Text;
using DataVault.Api.Authorization;
using DataVault.Testing;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// Every /api route, found from the app's own endpoint data source (so new routes are covered
/// without editing this test), refuses: no token, an expired token, a tampered token, a token for
/// another audience, a revoked token (401), and a valid token without the route's scope (403). On a real subject
/// (<see cref="AuthorizationMatrixTests.EveryApiRoute_OnARealSubject_OtherPurposesAndMissingScopesAreRefused_AndNothingLeaks"/>),
/// a client of other purposes and a client without the scope are refused and change nothing, and no
/// client reads a value outside its purposes or an activation link; and no client lifts what the
/// subject or an officer chose (<see cref="AuthorizationMatrixTests.EveryLiftRoute_ChoicesNoClientMayUndo_AreRefusedEvenToTheClientOfThePurpose"/>).
/// </summary>
public sealed partial class AuthorizationMatrixTests
{
    [Fact]
    public async Task EveryApiRoute_DeclaresAScopeAndRefusesBadTokens()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        var routes = ApiPaths(app);
        Assert.NotEmpty(routes);

        var secret = await app.RegisterClientAsync("matrix-client");
        var valid = await app.RequestTokenAsync("matrix-client", secret);
        var tampered = Tamper(valid);
        var wrongAudience = await MintedTokens.MintAsync(app, "http://localhost/", "another-api", "matrix-client", Scopes.All);

        time.Advance(TimeSpan.FromHours(2));
        var expired = valid;
        var current = await app.RequestTokenAsync("matrix-client", secret);

        // A token revoked at the revocation endpoint (RFC 7009) is refused like one that never was valid.
        var revoked = await app.RequestTokenAsync("matrix-client", secret);
        using (var http = app.CreateClient())
        using (var revoke = RevocationTests.Authenticated("/connect/revoke", "matrix-client", secret, new() { ["token"] = revoked }))
        {
            Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(revoke)).StatusCode);
        }

        var failures = new List<string>();

        // One token per scope left out, not per route: the token service allows a client only so many requests a minute.
        var withoutScopes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (method, path, scope, audited) in routes)
        {
            Assert.False(scope is null, $"{method} {path} declares no scope: every /api route must call RequireScope.");
            Assert.True(audited, $"{method} {path} declares no audit action: every /api route must call Audited.");
            if (!withoutScopes.TryGetValue(scope, out var withoutScope))
            {
                var others = string.Join(' ', Scopes.All.Where(s => s != scope).Order(StringComparer.Ordinal));
                withoutScope = withoutScopes[scope] = await app.RequestTokenAsync("matrix-client", secret, others);
            }

            await Expect(app, failures, method, path, null, HttpStatusCode.Unauthorized, "no token");
            await Expect(app, failures, method, path, expired, HttpStatusCode.Unauthorized, "expired token");
            await Expect(app, failures, method, path, tampered, HttpStatusCode.Unauthorized, "tampered token");
            await Expect(app, failures, method, path, wrongAudience, HttpStatusCode.Unauthorized, "wrong audience");
            await Expect(app, failures, method, path, "not.a.jwt", HttpStatusCode.Unauthorized, "garbage token");
            await Expect(app, failures, method, path, revoked, HttpStatusCode.Unauthorized, "revoked token");
            await Expect(app, failures, method, path, withoutScope, HttpStatusCode.Forbidden, $"token without {scope}");
            await ExpectNot(app, failures, method, path, current, [HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden], "valid token with every scope");
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static List<(string Method, string Pattern, string? Scope, bool Audited)> ApiRoutes(DataVaultApplication app) =>
        [.. ApiEndpoints(app).Select(e => (e.Method, e.Pattern, e.Scope, e.Audited))];

    private static List<(string Method, string Path, string? Scope, bool Audited)> ApiPaths(DataVaultApplication app) =>
        [.. ApiEndpoints(app).Select(e => (e.Method, e.Path, e.Scope, e.Audited))];

    /// <summary>Every /api endpoint by method: its route pattern, a path with sample values, its scope and whether it is audited.</summary>
    private static List<(string Method, string Pattern, string Path, string? Scope, bool Audited)> ApiEndpoints(DataVaultApplication app)
    {
        var sources = app.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var routes = new List<(string, string, string, string?, bool)>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = endpoint.RoutePattern.RawText ?? string.Empty;
            if (!pattern.StartsWith("/api", StringComparison.Ordinal))
            {
                continue;
            }

            var methods = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"];
            var scope = endpoint.Metadata.GetMetadata<RequiredScope>()?.Scope;
            var path = string.Concat(endpoint.RoutePattern.PathSegments.Select(segment => "/" + string.Concat(segment.Parts.Select(part => part switch
            {
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
                Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => SampleValue(parameter.Name),
                _ => string.Empty,
            }))));
            var audited = endpoint.Metadata.GetMetadata<Auditing.AuditedAction>() is not null;
            routes.AddRange(methods.Select(m => (m, pattern, path, scope, audited)));
        }

        return routes;
    }

    private static string SampleValue(string parameter) => parameter switch
    {
        "subjectId" or "requestId" => "0198c8a4-0000-7000-8000-000000000000",
        _ => "sample",
    };

    private static async Task Expect(DataVaultApplication app, List<string> failures, string method, string path, string? token, HttpStatusCode expected, string what)
    {
        var status = await SendAsync(app, method, path, token);
        if (status != expected)
        {
            failures.Add($"{method} {path} with {what}: expected {(int)expected}, got {(int)status}.");
        }
    }

    private static async Task ExpectNot(DataVaultApplication app, List<string> failures, string method, string path, string token, HttpStatusCode[] refused, string what)
    {
        var status = await SendAsync(app, method, path, token);
        if (refused.Contains(status))
        {
            failures.Add($"{method} {path} with {what}: refused with {(int)status}.");
        }
    }

    private static async Task<HttpStatusCode> SendAsync(DataVaultApplication app, string method, string path, string? token)
    {
        using var http = app.CreateClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PATCH" or "PUT")
        {
            request.Content = new StringContent("""{"fields": {}}""", Encoding.UTF8, "application/json");
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static string Tamper(string jwt)
    {
        // Change the payload (scope widened) and keep the original signature.
        var parts = jwt.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[1]));
        var forged = payload.Replace("matrix-client", "matrix-clienX", StringComparison.Ordinal);
        return $"{parts[0]}.{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(Encoding.UTF8.GetBytes(forged))}.{parts[2]}";
    }
}
