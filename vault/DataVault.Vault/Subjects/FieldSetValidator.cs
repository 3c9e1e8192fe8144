using System.Text.Json;
using System.Text.RegularExpressions;
using DataVault.Policies;

namespace DataVault.Vault.Subjects;

/// <summary>
/// Validates a set of submitted fields against the catalogue before anything is written, so a
/// request either stores every field or none (no partial writes).
/// </summary>
internal static partial class FieldSetValidator
{
    public const int MaxFieldsPerRequest = 64;

    public static (Dictionary<string, string> Canonical, Dictionary<string, string[]> Errors) Validate(
        PolicyCatalogue catalogue,
        IReadOnlyDictionary<string, JsonElement> fields,
        DateOnly today)
    {
        var canonical = new Dictionary<string, string>(StringComparer.Ordinal);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (fields.Count > MaxFieldsPerRequest)
        {
            errors["fields"] = [$"At most {MaxFieldsPerRequest} fields may be sent at once."];
            return (canonical, errors);
        }

        foreach (var (name, value) in fields)
        {
            if (!FieldName().IsMatch(name))
            {
                // The raw key is not echoed: it may be long, hold control characters, or be a value pasted by mistake.
                errors["fields"] = ["Contains a name that is not a field of the catalogue."];
                continue;
            }

            if (!catalogue.Fields.TryGetValue(name, out var definition))
            {
                errors[$"fields.{name}"] = ["Is not a field of the catalogue."];
                continue;
            }

            var result = FieldValues.Validate(definition, value, today);
            if (result.IsValid)
            {
                canonical[name] = result.CanonicalJson!;
            }
            else
            {
                errors[$"fields.{name}"] = [result.Error!];
            }
        }

        return (canonical, errors);
    }

    [GeneratedRegex("^[a-z][a-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldName();
}
