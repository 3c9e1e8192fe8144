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
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, Profile);
        await RecordAsync(client, id, "marketing-email", "given");

        var backdated = await client.PostAsJsonAsync(
            $"/api/v1/subjects/{id}/consents",
            new { purposeId = "marketing-email", state = "withdrawn", noticeLanguage = "en", occurredAt = DateTimeOffset.UtcNow.AddDays(-1) });

        var problem = await AssertProblemAsync(backdated, HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("occurredAt", out _));
        Assert.NotEmpty(Released(await ReadAsync(client, id, "marketing-email")));
    }

    [Theory]
    [InlineData("POST", "restriction", "{}")]
    [InlineData("POST", "restriction", "{\"reason\": \"\"}")]
    [InlineData("POST", "objections", "{\"purposeId\": \"world-domination\"}")]
    [InlineData("POST", "objections", "{\"purposeId\": 7}")]
    [InlineData("DELETE", "restriction", null)]
    public async Task RestrictionAndObjection_BadInput_Return400AndChangeNothing(string method, string route, string? body)
    {
        await using var app = new DataVaultApplication();
        using var client = await app.CreateClientAsync();
        var id = await CreateAsync(client, Profile);
        using var request = new HttpRequestMessage(new HttpMethod(method), $"/api/v1/subjects/{id}/{route}");
        if (body is not null)
        {
            request.Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json");
        }

        await AssertProblemAsync(await client.SendAsync(request), HttpStatusCode.BadRequest);
        Assert.Equal(0L, Scalar(app, "SELECT (SELECT COUNT(*) FROM restriction_events) + (SELECT COUNT(*) FROM objection_events);"));
    }
}
