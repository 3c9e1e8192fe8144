using System.Text.Json;
using System.Text.Json.Serialization;

namespace DataVault.Client;

/// <summary>
/// A pushed change as its webhook body carries it: <c>{"type":…,"timestamp":…,"data":{…the feed's event…}}</c>.
/// <see cref="Data"/> is the same event the change feed returns, with the same id: deduplicate by it.
/// </summary>
/// <param name="Type">The event's type (see <see cref="ChangeEventTypes"/>).</param>
/// <param name="Timestamp">When the change was committed.</param>
/// <param name="Data">The change: ids, names and codes, never a value.</param>
public sealed record WebhookEvent(
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] DateTimeOffset Timestamp,
    [property: JsonPropertyName("data")] ChangeEventResponse Data)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Reads a webhook body; <see cref="JsonException"/> when it is not one.</summary>
    /// <remarks>Parse only a body <see cref="WebhookVerifier"/> has verified.</remarks>
    public static WebhookEvent Parse(ReadOnlySpan<byte> body)
    {
        var parsed = JsonSerializer.Deserialize<WebhookEvent>(body, Json);
        if (parsed is null || string.IsNullOrEmpty(parsed.Type) || parsed.Data is null || string.IsNullOrEmpty(parsed.Data.Id) || parsed.Data.Type != parsed.Type)
        {
            throw new JsonException("The body is not a DataVault webhook event.");
        }

        return parsed;
    }
}
