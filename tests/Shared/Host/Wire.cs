using System.Net.Http.Json;
using System.Text.Json;

namespace DataVault.Testing;

/// <summary>
/// Reads a response body into a record the test declares, named as the wire names its properties, so
/// an assertion reads like the contract. As strict as walking the JSON by name: matching is
/// case-sensitive, numbers must be numbers, every constructor parameter must be present, and one
/// that is not nullable must not be null; a property the record does not name is not checked.
/// </summary>
internal static class Wire
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    public static async Task<T> ReadWireAsync<T>(this HttpContent content) =>
        await content.ReadFromJsonAsync<T>(Options) ?? throw new JsonException("The body is null.");

    public static async Task<T> GetWireAsync<T>(this HttpClient client, string uri) =>
        await client.GetFromJsonAsync<T>(uri, Options) ?? throw new JsonException("The body is null.");

    public static T Parse<T>(string json) => JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("The document is null.");

    public static T Parse<T>(ReadOnlySpan<byte> utf8) => JsonSerializer.Deserialize<T>(utf8, Options) ?? throw new JsonException("The document is null.");
}
