using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Testing;

/// <summary>Calls of the vault's REST API that many tests make, each failing the test unless it succeeds.</summary>
internal static class VaultApi
{
    public static async Task<JsonElement> RecordAsync(
        HttpClient client, string id, string purpose, string state, DateTimeOffset? expiresAt = null, string? evidence = null, DateTimeOffset? occurredAt = null)
    {
        var response = await client.PostAsJsonAsync($"/api/v1/subjects/{id}/consents", new { purposeId = purpose, state, noticeLanguage = "en", expiresAt, evidence, occurredAt });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    public static async Task<JsonElement> ReadAsync(HttpClient client, string id, string purpose)
    {
        var response = await client.GetAsync($"/api/v1/subjects/{id}?purpose={purpose}");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
    }

    public static string[] Released(JsonElement read) => read.GetProperty("fields").EnumerateObject().Select(p => p.Name).ToArray();

    public static Dictionary<string, string> Withheld(JsonElement read) =>
        read.GetProperty("withheld").EnumerateArray().ToDictionary(w => w.GetProperty("field").GetString()!, w => w.GetProperty("reason").GetString()!);
}
