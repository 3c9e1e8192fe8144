using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace DataVault.Policies;

/// <summary>
/// Validates and normalizes submitted field values against their <see cref="FieldDefinition"/>, so that
/// only well-formed data is stored (GDPR Art. 5(1)(d) accuracy) and equal values are stored equally.
/// </summary>
/// <remarks>
/// <para>
/// Every string is checked, then trimmed and normalized to Unicode NFC. Lengths (<see cref="FieldValidation.MinLength"/>,
/// <see cref="FieldValidation.MaxLength"/>) count UTF-16 code units of that normalized value, not text elements:
/// a limit then also bounds storage, whereas one text element can carry any number of combining marks.
/// </para>
/// <para>
/// Error messages never contain the submitted value (it is personal data, and errors end up in responses and
/// logs); they say what rule failed and may quote the field's configured limits and allowed values.
/// </para>
/// </remarks>
public static partial class FieldValues
{
    /// <summary>RFC 5321 §4.5.3.1.3: a forward-path holds at most 256 octets including the angle brackets.</summary>
    internal const int MaxEmailLength = 254;

    /// <summary>RFC 5321 §4.5.3.1.1: a local part holds at most 64 octets.</summary>
    private const int MaxEmailLocalPartLength = 64;

    private const string UnpairedSurrogate = "contains an unpaired surrogate (invalid Unicode)";

    // The canonical JSON is encrypted at rest and parsed back by the vault; it is never written into HTML or
    // script, so HTML-sensitive characters ('+' of a phone number, '<', '&') need no escaping, and keeping
    // them literal keeps stored values readable and compact.
    private static readonly JsonSerializerOptions CanonicalOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Validates <paramref name="value"/> for <paramref name="field"/>. <paramref name="today"/> is the current
    /// date (from the caller's <see cref="TimeProvider"/>), for <see cref="FieldValidation.NotInFuture"/>.
    /// </summary>
    public static FieldValueResult Validate(FieldDefinition field, JsonElement value, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(field);
        if (field.Type == FieldType.TextList)
        {
            return ValidateList(field, value);
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return FieldValueResult.Invalid($"must be a JSON string, not {Describe(value.ValueKind)}");
        }

        if (!TryGetString(value, out var raw))
        {
            return FieldValueResult.Invalid(UnpairedSurrogate);
        }

        var result = field.Type switch
        {
            FieldType.Text => Text(raw, field.Validation.MinLength, field.Validation.MaxLength, field.Validation.Multiline),
            FieldType.Email => Email(raw, field.Validation),
            FieldType.Phone => Phone(raw),
            FieldType.Date => Date(raw, field.Validation, today),
            FieldType.Language => Language(raw, field.Validation),
            _ => Checked.Fail($"has an unsupported field type {field.Type}"),
        };

        return result.Error is { } error
            ? FieldValueResult.Invalid(error)
            : FieldValueResult.Valid(JsonSerializer.Serialize(result.Value, CanonicalOptions));
    }

    /// <summary>
    /// The form of a value that the blind index is computed over, so that the same address or number finds
    /// the same subject however it was typed: e-mail addresses trimmed, NFC and lower-cased; phone numbers in
    /// E.164 form. Null when <paramref name="raw"/> is not a valid value of the field, or the field is not an
    /// e-mail or phone field.
    /// </summary>
    public static string? NormalizeForLookup(FieldDefinition field, string raw)
    {
        ArgumentNullException.ThrowIfNull(field);
        ArgumentNullException.ThrowIfNull(raw);
        return field.Type switch
        {
            // The local part is case-sensitive in theory (RFC 5321 §2.4), but no mailbox provider treats it
            // so, and a lookup that misses "Ana@Example.com" for "ana@example.com" would hide a subject's data
            // from their own access or erasure request.
            FieldType.Email => Email(raw, field.Validation).Value?.ToLowerInvariant(),
            FieldType.Phone => Phone(raw).Value,
            _ => null,
        };
    }

    /// <summary>
    /// Free text that callers write about a subject rather than as one of its fields (consent evidence,
    /// restriction and objection reasons, request notes), held to the rules of a single-line text field: no
    /// control characters, no unpaired surrogates, no bidirectional controls, not blank, at most
    /// <paramref name="maxLength"/> characters once trimmed and normalized to NFC. Such text is shown to
    /// officers and to the subject like a field value, so it must not be able to display as something other
    /// than what is stored either.
    /// </summary>
    /// <param name="raw">The submitted text.</param>
    /// <param name="maxLength">The most characters (UTF-16 code units) kept.</param>
    /// <param name="text">When valid: the trimmed NFC text to store.</param>
    /// <returns>Null when valid; otherwise what is wrong, never quoting the text.</returns>
    public static string? ValidateFreeText(string raw, int maxLength, out string? text)
    {
        ArgumentNullException.ThrowIfNull(raw);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        var result = Text(raw, null, maxLength, multiline: false);
        text = result.Value;
        return result.Error;
    }

    private static FieldValueResult ValidateList(FieldDefinition field, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            return FieldValueResult.Invalid($"must be a JSON array of strings, not {Describe(value.ValueKind)}");
        }

        var rules = field.Validation;
        var count = value.GetArrayLength();
        if (count == 0)
        {
            return FieldValueResult.Invalid("must contain at least one item");
        }

        if (count > rules.MaxItems)
        {
            return FieldValueResult.Invalid(string.Create(CultureInfo.InvariantCulture, $"must have at most {rules.MaxItems} items"));
        }

        var items = new List<string>(count);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var index = 0;
        foreach (var element in value.EnumerateArray())
        {
            var error = ListItem(element, rules, out var item);
            if (error is null && !seen.Add(item!))
            {
                error = "repeats an earlier item";
            }

            if (error is not null)
            {
                return FieldValueResult.Invalid(string.Create(CultureInfo.InvariantCulture, $"item at index {index} {error}"));
            }

            items.Add(item!);
            index++;
        }

        items.Sort(StringComparer.Ordinal);
        return FieldValueResult.Valid(JsonSerializer.Serialize(items, CanonicalOptions));
    }

    private static string? ListItem(JsonElement element, FieldValidation rules, out string? item)
    {
        item = null;
        if (element.ValueKind != JsonValueKind.String)
        {
            return $"must be a JSON string, not {Describe(element.ValueKind)}";
        }

        if (!TryGetString(element, out var raw))
        {
            return UnpairedSurrogate;
        }

        var text = Text(raw, rules.MinLength, rules.MaxLength, multiline: false);
        if (text.Error is null && rules.AllowedValues is { } allowed && !allowed.Contains(text.Value!, StringComparer.Ordinal))
        {
            return $"must be one of: {string.Join(", ", allowed)}";
        }

        item = text.Value;
        return text.Error;
    }

    /// <summary>
    /// The common string rules: well-formed UTF-16, no control characters (a line feed only where
    /// <paramref name="multiline"/>), no bidi overrides, not blank; then trimmed, NFC, and within the limits.
    /// </summary>
    private static Checked Text(string raw, int? minLength, int? maxLength, bool multiline)
    {
        // Browsers submit textarea line breaks as CR LF (HTML form submission); store them as LF.
        var text = multiline ? raw.Replace("\r\n", "\n", StringComparison.Ordinal) : raw;
        if (CharacterError(text, multiline) is { } error)
        {
            return Checked.Fail(error);
        }

        text = text.Trim();
        if (text.Length == 0)
        {
            return Checked.Fail("must not be empty or only whitespace");
        }

        text = text.Normalize(NormalizationForm.FormC);
        if (text.Length > maxLength)
        {
            return Checked.Fail(string.Create(CultureInfo.InvariantCulture, $"must be at most {maxLength} characters"));
        }

        if (text.Length < minLength)
        {
            return Checked.Fail(string.Create(CultureInfo.InvariantCulture, $"must be at least {minLength} characters"));
        }

        return Checked.Ok(text);
    }

    private static string? CharacterError(string text, bool allowLineFeed)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    i++;
                    continue;
                }

                return UnpairedSurrogate;
            }

            if (char.IsLowSurrogate(c))
            {
                return UnpairedSurrogate;
            }

            // C0 and C1 controls (U+0000–U+001F, U+007F–U+009F): invisible, and some (NUL, ESC) break or
            // inject into whatever later displays, exports or logs the value.
            if (c <= '\u001F' || c is >= '\u007F' and <= '\u009F')
            {
                if (c == '\n' && allowLineFeed)
                {
                    continue;
                }

                return c == '\n' ? "must be a single line" : "contains a control character";
            }

            // Bidi embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text display in an
            // order other than it is stored ("Trojan Source", CVE-2021-42574): a name could show an officer or
            // the subject something other than what is held.
            if (c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069')
            {
                return "contains a Unicode bidirectional control character";
            }
        }

        return null;
    }

    private static Checked Email(string raw, FieldValidation rules)
    {
        var maxLength = Math.Min(rules.MaxLength ?? MaxEmailLength, MaxEmailLength);
        var text = Text(raw, rules.MinLength, maxLength, multiline: false);
        if (text.Value is not { } email)
        {
            return text;
        }

        // A pragmatic check rather than RFC 5322: quoted local parts and address literals are legal but not
        // what anyone types into a CRM, and the real test of an address is a confirmation mail.
        if (email.Any(char.IsWhiteSpace))
        {
            return Checked.Fail("must not contain spaces");
        }

        var at = email.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || email.IndexOf('@', at + 1) >= 0)
        {
            return Checked.Fail("must contain exactly one '@'");
        }

        if (at == 0)
        {
            return Checked.Fail("must have a name before the '@'");
        }

        if (at > MaxEmailLocalPartLength)
        {
            return Checked.Fail(string.Create(CultureInfo.InvariantCulture, $"must have at most {MaxEmailLocalPartLength} characters before the '@'"));
        }

        var domain = email[(at + 1)..];
        if (!domain.Contains('.', StringComparison.Ordinal) || domain.Split('.').Any(label => label.Length == 0))
        {
            return Checked.Fail("must have a domain with a dot after the '@', such as example.com");
        }

        return text;
    }

    private static Checked Phone(string raw)
    {
        var text = Text(raw, null, null, multiline: false);
        if (text.Value is not { } phone)
        {
            return text;
        }

        var digits = new StringBuilder(phone.Length);
        foreach (var c in phone)
        {
            if (c is not (' ' or '.' or '-' or '(' or ')'))
            {
                digits.Append(c);
            }
        }

        var e164 = digits.ToString();
        return E164().IsMatch(e164)
            ? Checked.Ok(e164)
            : Checked.Fail("must be an international number: '+', the country code and the number, 8 to 15 digits in all");
    }

    private static Checked Date(string raw, FieldValidation rules, DateOnly today)
    {
        var text = Text(raw, null, null, multiline: false);
        if (text.Value is not { } value)
        {
            return text;
        }

        if (!IsoDate().IsMatch(value))
        {
            return Checked.Fail("must be a date in the form yyyy-MM-dd");
        }

        if (!DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return Checked.Fail("must be a real calendar date");
        }

        if (date < rules.MinDate)
        {
            return Checked.Fail(string.Create(CultureInfo.InvariantCulture, $"must not be before {rules.MinDate:yyyy-MM-dd}"));
        }

        if (rules.NotInFuture && date > today)
        {
            return Checked.Fail("must not be in the future");
        }

        return Checked.Ok(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    private static Checked Language(string raw, FieldValidation rules)
    {
        var text = Text(raw, rules.MinLength, rules.MaxLength, multiline: false);
        if (text.Value is not { } value)
        {
            return text;
        }

        if (rules.AllowedValues is not { Count: > 0 } allowed)
        {
            return Checked.Fail("cannot be set: the field has no allowed values");
        }

        return allowed.Contains(value, StringComparer.Ordinal)
            ? text
            : Checked.Fail($"must be one of: {string.Join(", ", allowed)}");
    }

    private static bool TryGetString(JsonElement element, out string text)
    {
        try
        {
            text = element.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            // System.Text.Json refuses to materialize a string whose \u escapes leave a surrogate unpaired.
            text = string.Empty;
            return false;
        }
    }

    private static string Describe(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Null => "null",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        _ => "missing",
    };

    // [0-9] rather than \d, which also matches other scripts' digits; \z rather than $, which also matches
    // before a final line break. E.164: at most 15 digits, and country codes never start with 0.
    [GeneratedRegex(@"^\+[1-9][0-9]{7,14}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex E164();

    [GeneratedRegex(@"^[0-9]{4}-[0-9]{2}-[0-9]{2}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex IsoDate();

    /// <summary>A normalized string value, or why there is none.</summary>
    private readonly record struct Checked(string? Value, string? Error)
    {
        public static Checked Ok(string value) => new(value, null);

        public static Checked Fail(string error) => new(null, error);
    }
}
