using System.Collections;
using System.Text.Json;

namespace DataVault.Client;

/// <summary>
/// Typed access to the value of a released field. The contract gives <c>value</c> no type (a string,
/// or an array of strings for list fields such as <c>interests</c>), so the generated property is
/// <see cref="object"/>; these read it without the caller touching <see cref="JsonElement"/>.
/// </summary>
public partial class FieldValueResponse
{
    /// <summary>The value as text: a string as is, a list joined with <paramref name="separator"/>.</summary>
    /// <param name="separator">Between list items; default <c>"; "</c>.</param>
    public string GetText(string separator = "; ") => string.Join(separator, GetValues());

    /// <summary>The value as a list: one item for a string field, every item for a list field.</summary>
    public IReadOnlyList<string> GetValues() => Value switch
    {
        null => [],
        string text => [text],
        JsonElement { ValueKind: JsonValueKind.String } element => [element.GetString()!],
        JsonElement { ValueKind: JsonValueKind.Array } element => [.. element.EnumerateArray().Select(ItemText)],
        JsonElement { ValueKind: JsonValueKind.Null or JsonValueKind.Undefined } => [],
        JsonElement element => [element.GetRawText()],
        IEnumerable<string> items => [.. items],
        IEnumerable items => [.. items.Cast<object?>().Select(i => i?.ToString() ?? string.Empty)],
        _ => [Convert.ToString(Value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty],
    };

    private static string ItemText(JsonElement item) => item.ValueKind == JsonValueKind.String ? item.GetString()! : item.GetRawText();
}
