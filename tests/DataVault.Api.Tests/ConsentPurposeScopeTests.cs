using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static DataVault.Testing.VaultApi;
using static DataVault.Api.Tests.SubjectEndpointsTests;

namespace DataVault.Api.Tests;

/// <summary>A client sees and changes consents and objections only for the purposes it is registered for.</summary>
public sealed class ConsentPurposeScopeTests
{
    private static readonly object Profile = new { email = "ana@example.com", given_name = "Ana", preferred_language = "es" };

    [Fact]
    public async Task ConsentViewsAndObjections_AreLimitedToTheClientsPurposes()
    {
        await using var app = new DataVaultApplication();
        using var full = await app.CreateClientAsync("crm-full");
        using var shop = await app.CreateClientAsync("web-shop", purposes: ["service-delivery"]);
        var id = await CreateAsync(full, Profile);
        await RecordAsync(full, id, "marketing-email", "given", evidence: "newsletter-form-7");

        var state = await shop.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{id}/consents");
        Assert.Equal(["service-delivery"], state.GetProperty("purposes").EnumerateArray().Select(p => p.GetProperty("purposeId").GetString()));
        var history = await shop.GetStringAsync($"/api/v1/subjects/{id}/consents/history");
        Assert.DoesNotContain("newsletter-form-7", history, StringComparison.Ordinal);
        var eventId = (await full.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{id}/consents/history")).GetProperty("events")[0].GetProperty("id").GetString();
        await AssertProblemAsync(await shop.GetAsync($"/api/v1/subjects/{id}/consents/{eventId}/receipt"), HttpStatusCode.NotFound);

        await AssertProblemAsync(await shop.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { purposeId = "marketing-email" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.NoContent, (await full.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { })).StatusCode);
        await AssertProblemAsync(await full.DeleteAsync($"/api/v1/subjects/{id}/objections"), HttpStatusCode.BadRequest);
        Assert.True((await full.GetFromJsonAsync<JsonElement>($"/api/v1/subjects/{id}/consents")).GetProperty("objectsToAll").GetBoolean());
    }

    [Fact]
    public async Task RecordConsent_DatedBeforeTheLatestEvent_Returns400SoAWithdrawalIsNeverIgnored()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, Profile);
        time.Advance(TimeSpan.FromMinutes(40));
        await RecordAsync(client, id, "marketing-email", "given");

        // After the subject was created, but before the consent it would withdraw.
        var backdated = await client.PostAsJsonAsync(
            $"/api/v1/subjects/{id}/consents",
            new { purposeId = "marketing-email", state = "withdrawn", noticeLanguage = "en", occurredAt = time.GetUtcNow().AddMinutes(-20) });

        var problem = await AssertProblemAsync(backdated, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
        Assert.NotEmpty(Released(await ReadAsync(client, id, "marketing-email")));
    }

    [Theory]
    [InlineData("POST", "restriction", "{}")]
    [InlineData("POST", "restriction", "{\"reason\": \"\"}")]
    [InlineData("POST", "objections", "{\"purposeId\": \"world-domination\"}")]
    [InlineData("POST", "objections", "{\"purposeId\": 7}")]
    [InlineData("POST", "restriction", "{\"reason\": \"accuracy \u202Econtested\"}", "reason")]
    [InlineData("POST", "restriction", "{\"reason\": \"accuracy\u2067 contested\"}", "reason")]
    [InlineData("POST", "restriction", "{\"reason\": \"accuracy\\u0007contested\"}", "reason")]
    [InlineData("POST", "objections", "{\"purposeId\": \"analytics\", \"reason\": \"by phone\u202A\"}", "reason")]
    [InlineData("POST", "objections", "{\"purposeId\": \"analytics\", \"reason\": \"\"}", "reason")]
    [InlineData("DELETE", "restriction", null)]
    [InlineData("DELETE", "restriction?reason=%E2%80%AEcorrected", null, "reason")]
    [InlineData("DELETE", "objections?purpose=analytics", null)]
    [InlineData("DELETE", "objections?purpose=analytics&reason=by%20phone%E2%81%A6", null, "reason")]
    public async Task RestrictionAndObjection_BadInput_Return400AndChangeNothing(string method, string route, string? body, string? property = null)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, Profile);
        await RecordAsync(client, id, "analytics", "given");
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/restriction", new { reason = "accuracy contested" })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync($"/api/v1/subjects/{id}/objections", new { purposeId = "analytics" })).StatusCode);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/subjects/{id}/{route}");
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        var problem = await AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);
        if (property is not null)
        {
            Assert.True(problem.GetProperty("errors").TryGetProperty(property, out _), problem.GetRawText());
        }

        Assert.Equal(2L, Scalar(app, "SELECT (SELECT COUNT(*) FROM restriction_events) + (SELECT COUNT(*) FROM objection_events);"));
    }
}
