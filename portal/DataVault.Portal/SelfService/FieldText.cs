using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using DataVault.Policies;
using DataVault.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.SelfService;

/// <summary>
/// How a stored field reads to its owner: the value as text, its data category in plain words, and the
/// catalogue's validation messages (English, for API clients) in the page's language.
/// </summary>
internal static partial class FieldText
{
    /// <summary>A value as the customer reads it: text as stored, lists comma-separated with each item's title, a language by its own name.</summary>
    public static string Display(FieldDefinition field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(v => field.ValueTitle(v.ToString()))),
        JsonValueKind.String when field.Type == FieldType.Language => LanguageName(value.GetString()!),
        JsonValueKind.String => value.GetString()!,
        _ => value.GetRawText(),
    };

    /// <summary>A language code by the language's own name ("es" as "Español"), or the code when it is not a known language.</summary>
    public static string LanguageName(string code)
    {
        try
        {
            var culture = CultureInfo.GetCultureInfo(code);
            return culture.TextInfo.ToTitleCase(culture.NativeName);
        }
        catch (CultureNotFoundException)
        {
            return code;
        }
    }

    /// <summary>The data category (a fideslang code such as <c>user.contact.email</c>) as a plain phrase.</summary>
    public static string Category(string dataCategory, IStringLocalizer<MyDataText> T)
    {
        var parts = dataCategory.Split('.');
        return (parts.Length > 1 ? parts[1] : string.Empty) switch
        {
            "contact" => T["Contact details"],
            "name" => T["Name"],
            "demographic" => parts.Length > 2 && parts[2] == "date_of_birth" ? T["Date of birth"] : T["Personal details and preferences"],
            "government_id" => T["Official identification number"],
            "financial" => T["Financial details"],
            _ => T["Other personal data"],
        };
    }

    /// <summary>
    /// One validation message of <see cref="FieldValues"/> in the page's language. The messages carry no
    /// value, only the rule and its limits, so the limits are taken over; an unknown message gets a general one.
    /// </summary>
    public static string Error(string error, IStringLocalizer<MyDataText> T)
    {
        if (ListItem().Match(error) is { Success: true } item)
        {
            return item.Groups[1].Value == "repeats an earlier item"
                ? T["The same entry is chosen twice."]
                : Error(item.Groups[1].Value, T);
        }

        if (Limit().Match(error) is { Success: true } limit)
        {
            var number = limit.Groups["n"].Value;
            return limit.Groups["rule"].Value switch
            {
                "must be at most" when limit.Groups["unit"].Value == "characters" => T["Must be at most {0} characters.", number],
                "must be at least" => T["Must be at least {0} characters.", number],
                "must have at most" when limit.Groups["unit"].Value == "items" => T["Choose at most {0}.", number],
                _ => T["The part before the @ can have at most {0} characters.", number],
            };
        }

        if (error.StartsWith("must not be before ", StringComparison.Ordinal))
        {
            return T["The date must not be before {0}.", error["must not be before ".Length..]];
        }

        return error switch
        {
            "must not be empty or only whitespace" or "must contain at least one item" => T["Enter a value."],
            "must be a single line" => T["Must be a single line."],
            "must not contain spaces" => T["An e-mail address has no spaces."],
            "must contain exactly one '@'" => T["An e-mail address has exactly one @."],
            "must have a name before the '@'" => T["Enter the part before the @."],
            "must have a domain with a dot after the '@', such as example.com" => T["Enter the part after the @, such as example.com."],
            "must be a date in the form yyyy-MM-dd" or "must be a real calendar date" => T["Enter a real date."],
            "must not be in the future" => T["The date must not be in the future."],
            _ when error.StartsWith("must be an international number", StringComparison.Ordinal) => T["Enter an international number: +, the country code and the number, 8 to 15 digits in all."],
            _ when error.StartsWith("must be one of", StringComparison.Ordinal) => T["Choose one of the options given."],
            _ when error.StartsWith("contains", StringComparison.Ordinal) => T["Contains characters that cannot be stored, such as control characters."],
            _ => T["This value cannot be stored. Check it and try again."],
        };
    }

    [GeneratedRegex(@"^item at index [0-9]+ (.+)\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex ListItem();

    [GeneratedRegex(@"^(?<rule>must be at most|must be at least|must have at most) (?<n>[0-9]+) (?<unit>.+)\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Limit();
}
