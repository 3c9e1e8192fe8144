using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace DataVault.Policies;

/// <summary>What <c>fields.yaml</c> declares.</summary>
/// <param name="KeyGroups">Key groups without problems.</param>
/// <param name="Fields">Fields without problems.</param>
/// <param name="DeclaredFieldNames">
/// Every field name declared, including those of entries with other problems, so that a purpose naming a
/// broken field is not reported a second time as naming an unknown one. Null when the <c>fields</c> list
/// itself is unreadable: then purpose references cannot be checked at all.
/// </param>
internal sealed record FieldsFile(
    IReadOnlyList<KeyGroupDefinition> KeyGroups,
    IReadOnlyList<FieldDefinition> Fields,
    IReadOnlySet<string>? DeclaredFieldNames);

/// <summary>Reads and checks <c>fields.yaml</c>: the <c>key_groups</c> and <c>fields</c> sections.</summary>
internal static class FieldsFileReader
{
    public const string FileName = "fields.yaml";

    private static readonly string[] RootKeys = ["key_groups", "fields"];
    private static readonly string[] KeyGroupKeys = ["name", "description", "retain_after_erasure"];
    private static readonly string[] FieldKeys = ["name", "type", "data_category", "searchable", "key_group", "validation", "title", "value_titles"];
    private static readonly string[] ValidationKeys =
        ["min_length", "max_length", "multiline", "allowed_values", "max_items", "min_date", "not_in_future"];

    /// <summary>Which validation keys mean something for which type; any other combination is a mistake.</summary>
    private static readonly FrozenDictionary<FieldType, string[]> ApplicableValidation = new Dictionary<FieldType, string[]>
    {
        [FieldType.Text] = ["min_length", "max_length", "multiline"],
        [FieldType.Email] = ["min_length", "max_length"],
        [FieldType.Phone] = [],
        [FieldType.Date] = ["min_date", "not_in_future"],
        [FieldType.Language] = ["allowed_values"],
        [FieldType.TextList] = ["min_length", "max_length", "allowed_values", "max_items"],
    }.ToFrozenDictionary();

    /// <summary>
    /// Validation keys a type cannot do without. Unbounded free text invites over-collection and unbounded
    /// storage (GDPR Art. 5(1)(c) data minimisation), and a language field with no list accepts anything.
    /// </summary>
    private static readonly FrozenDictionary<FieldType, string[]> RequiredValidation = new Dictionary<FieldType, string[]>
    {
        [FieldType.Text] = ["max_length"],
        [FieldType.Email] = [],
        [FieldType.Phone] = [],
        [FieldType.Date] = [],
        [FieldType.Language] = ["allowed_values"],
        [FieldType.TextList] = ["max_length", "max_items"],
    }.ToFrozenDictionary();

    public static FieldsFile Read(YamlNode root, CatalogueProblems problems)
    {
        var file = YamlEntry.Open(problems, FileName, null, string.Empty, root, RootKeys);
        if (file is null)
        {
            return new FieldsFile([], [], null);
        }

        var keyGroups = ReadKeyGroups(file, problems, out var keyGroupNames);
        var fieldItems = Section(file, "fields");
        if (fieldItems is null)
        {
            return new FieldsFile(keyGroups, [], null);
        }

        var fields = new List<FieldDefinition>();
        var declared = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < fieldItems.Count; i++)
        {
            var item = fieldItems[i];
            var entry = YamlEntry.Open(problems, FileName, YamlEntry.ItemLabel("fields", i, item, "name"), string.Empty, item, FieldKeys);
            if (entry is not null && ReadField(entry, problems, declared, keyGroupNames) is { } field)
            {
                fields.Add(field);
            }
        }

        return new FieldsFile(keyGroups, fields, declared.Keys.ToFrozenSet(StringComparer.Ordinal));
    }

    /// <summary>The items of a required top-level list; null (with a problem reported) when it is missing or not a list.</summary>
    internal static IList<YamlNode>? Section(YamlEntry file, string key)
    {
        if (file.Node(key) is not { } node)
        {
            file.Report($"missing required list '{key}'");
            return null;
        }

        if (node is not YamlSequenceNode sequence)
        {
            file.Report(node, $"'{key}' must be a list of entries, not {YamlEntry.Describe(node)}");
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            file.Report(node, $"'{key}' must not be an empty list");
            return null;
        }

        return sequence.Children;
    }

    /// <summary>
    /// Checks a name against the names declared so far and against its pattern, and records it. Returns
    /// whether the name is usable.
    /// </summary>
    internal static bool DeclareName(
        YamlEntry entry, string key, string? name, string kind, string rule, Func<string, bool> isValid, Dictionary<string, long> declared)
    {
        if (name is null)
        {
            return false;
        }

        var node = entry.Node(key);
        if (declared.TryGetValue(name, out var firstLine))
        {
            entry.Report(node, string.Create(CultureInfo.InvariantCulture, $"duplicate {kind} '{name}', already declared on line {firstLine}"));
            return false;
        }

        // Recorded even when invalid, so references to it are not reported a second time as unknown.
        declared.Add(name, node is null ? 0 : YamlEntry.LineOf(node));
        if (!isValid(name))
        {
            entry.Report(node, $"{kind} '{name}' is not a valid name: {rule}");
            return false;
        }

        return true;
    }

    /// <summary>
    /// Reads <c>key_groups</c>. <paramref name="names"/> receives every key-group name declared, or null when the
    /// list is unreadable, so that field references are not checked against nothing.
    /// </summary>
    private static List<KeyGroupDefinition> ReadKeyGroups(
        YamlEntry file, CatalogueProblems problems, out IReadOnlyDictionary<string, long>? names)
    {
        var keyGroups = new List<KeyGroupDefinition>();
        var declared = new Dictionary<string, long>(StringComparer.Ordinal);
        names = null;
        var items = Section(file, "key_groups");
        if (items is null)
        {
            return keyGroups;
        }

        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var entry = YamlEntry.Open(problems, FileName, YamlEntry.ItemLabel("key_groups", i, item, "name"), string.Empty, item, KeyGroupKeys);
            if (entry is null)
            {
                continue;
            }

            var before = problems.Count;
            var name = entry.String("name", required: true);
            DeclareName(
                entry,
                "name",
                name,
                "key group",
                "use kebab-case: a lowercase letter, then up to 63 lowercase letters, digits or hyphens",
                n => CatalogueVocabulary.KebabName().IsMatch(n),
                declared);
            var description = entry.Text("description", required: true);
            var retain = ReadPeriod(entry, "retain_after_erasure", required: false, zeroHint: "leave the key out to shred at once");
            if (problems.Count == before)
            {
                keyGroups.Add(new KeyGroupDefinition(name!, description!, retain));
            }
        }

        names = declared;
        return keyGroups;
    }

    private static FieldDefinition? ReadField(
        YamlEntry entry, CatalogueProblems problems, Dictionary<string, long> declared, IReadOnlyDictionary<string, long>? keyGroupNames)
    {
        var before = problems.Count;
        var name = entry.String("name", required: true);
        DeclareName(
            entry,
            "name",
            name,
            "field",
            "use snake_case: a lowercase letter, then up to 63 lowercase letters, digits or underscores",
            n => CatalogueVocabulary.FieldName().IsMatch(n),
            declared);

        var type = ReadType(entry);

        var category = entry.String("data_category", required: true);
        if (category is not null && !CatalogueVocabulary.DataCategory().IsMatch(category))
        {
            entry.Report(
                entry.Node("data_category"),
                $"data category '{category}' is not a dotted lowercase category such as user.contact.email");
        }

        var searchable = entry.Bool("searchable") ?? false;
        if (searchable && type is not null and not (FieldType.Email or FieldType.Phone))
        {
            // The blind index (HMAC of the normalized value) needs a normalization that makes equal values
            // equal; only e-mail addresses and phone numbers have one here.
            entry.Report(entry.Node("searchable"), "'searchable' is only supported for email and phone fields");
        }

        var keyGroup = entry.String("key_group", required: true);
        if (keyGroup is not null && keyGroupNames is not null && !keyGroupNames.ContainsKey(keyGroup))
        {
            entry.Report(
                entry.Node("key_group"),
                $"unknown key group '{keyGroup}'{CatalogueVocabulary.DidYouMean(keyGroup, keyGroupNames.Keys)}; declared key groups: {string.Join(", ", keyGroupNames.Keys)}");
        }

        var validation = ReadValidation(entry, type);
        var title = ReadLocalizedTitle(entry, "title");
        var valueTitles = ReadValueTitles(entry, type, validation?.AllowedValues);

        return problems.Count == before
            ? new FieldDefinition(name!, type!.Value, category!, searchable, keyGroup!, validation!, title!, valueTitles)
            : null;
    }

    /// <summary>
    /// <c>value_titles</c>: what people read for each allowed value of a list field, in every language the
    /// catalogue's texts are in. Only a text_list with <c>allowed_values</c> has them, and then one for every
    /// allowed value and none for anything else, so that no choice is ever shown as a bare code.
    /// </summary>
    private static FrozenDictionary<string, IReadOnlyDictionary<string, string>>? ReadValueTitles(YamlEntry entry, FieldType? type, IReadOnlyList<string>? allowedValues)
    {
        if (!entry.Has("value_titles"))
        {
            if (type == FieldType.TextList && allowedValues is not null)
            {
                entry.Report("text_list fields with 'validation.allowed_values' need 'value_titles': a localized title for each allowed value");
            }

            return null;
        }

        if (type != FieldType.TextList || allowedValues is null)
        {
            entry.Report(entry.Node("value_titles"), "'value_titles' applies only to text_list fields with 'validation.allowed_values'");
            return null;
        }

        var mapping = entry.Mapping("value_titles", allowedValues, required: true);
        if (mapping is null)
        {
            return null;
        }

        var titles = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.Ordinal);
        foreach (var value in mapping.Keys.ToList())
        {
            if (ReadLocalizedTitle(mapping, value) is { } title)
            {
                titles[value] = title;
            }
        }

        foreach (var missing in allowedValues.Where(v => !mapping.Keys.Contains(v, StringComparer.Ordinal)))
        {
            mapping.Report($"'value_titles' has no title for the allowed value '{missing}'");
        }

        return titles.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static FieldType? ReadType(YamlEntry entry)
    {
        var text = entry.String("type", required: true);
        if (text is null)
        {
            return null;
        }

        if (CatalogueVocabulary.FieldTypes.TryGetValue(text, out var type))
        {
            return type;
        }

        var names = CatalogueVocabulary.FieldTypeNames;
        entry.Report(
            entry.Node("type"),
            $"unknown field type '{text}'{CatalogueVocabulary.DidYouMean(text, names)}; known types: {string.Join(", ", names)}");
        return null;
    }

    private static FieldValidation? ReadValidation(YamlEntry entry, FieldType? type)
    {
        var validation = entry.Mapping("validation", ValidationKeys, required: false);
        if (type is { } fieldType)
        {
            foreach (var key in RequiredValidation[fieldType])
            {
                if (validation?.Has(key) != true)
                {
                    entry.Report(validation is null ? null : entry.Node("validation"),
                        $"{CatalogueVocabulary.YamlName(fieldType)} fields need 'validation.{key}'");
                }
            }
        }

        if (validation is null)
        {
            return entry.Has("validation") ? null : new FieldValidation();
        }

        if (type is { } known)
        {
            foreach (var key in validation.Keys.Where(k => !ApplicableValidation[known].Contains(k, StringComparer.Ordinal)))
            {
                validation.Report(
                    validation.Node(key),
                    $"'{validation.KeyName(key)}' does not apply to {CatalogueVocabulary.YamlName(known)} fields");
            }
        }

        var minLength = validation.Int("min_length");
        if (minLength < 0)
        {
            validation.Report(validation.Node("min_length"), $"'{validation.KeyName("min_length")}' must not be negative");
        }

        var maxLength = validation.Int("max_length");
        if (maxLength <= 0)
        {
            validation.Report(validation.Node("max_length"), $"'{validation.KeyName("max_length")}' must be a positive whole number");
        }
        else if (type == FieldType.Email && maxLength > FieldValues.MaxEmailLength)
        {
            validation.Report(
                validation.Node("max_length"),
                string.Create(CultureInfo.InvariantCulture, $"'{validation.KeyName("max_length")}' of an email field cannot exceed {FieldValues.MaxEmailLength}, the RFC 5321 limit"));
        }

        if (minLength > maxLength && maxLength > 0)
        {
            validation.Report(
                validation.Node("min_length"),
                string.Create(CultureInfo.InvariantCulture, $"'{validation.KeyName("min_length")}' ({minLength}) is greater than '{validation.KeyName("max_length")}' ({maxLength})"));
        }

        var maxItems = validation.Int("max_items");
        if (maxItems <= 0)
        {
            validation.Report(validation.Node("max_items"), $"'{validation.KeyName("max_items")}' must be a positive whole number");
        }

        var allowedValues = ReadAllowedValues(validation, maxLength);

        DateOnly? minDate = null;
        if (validation.String("min_date", required: false) is { } minDateText)
        {
            if (DateOnly.TryParseExact(minDateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
            {
                minDate = parsed;
            }
            else
            {
                validation.Report(validation.Node("min_date"), $"'{validation.KeyName("min_date")}' must be a date in the form yyyy-MM-dd");
            }
        }

        return new FieldValidation
        {
            MinLength = minLength,
            MaxLength = maxLength,
            Multiline = validation.Bool("multiline") ?? false,
            AllowedValues = allowedValues,
            MaxItems = maxItems,
            MinDate = minDate,
            NotInFuture = validation.Bool("not_in_future") ?? false,
        };
    }

    private static string[]? ReadAllowedValues(YamlEntry validation, int? maxLength)
    {
        var items = validation.StringList("allowed_values", required: false);
        if (items is null)
        {
            return null;
        }

        var key = validation.KeyName("allowed_values");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (value, node) in items)
        {
            // Submitted values are compared after trimming and NFC normalization, so an allowed value that is
            // not already in that form could never be matched.
            if (!string.Equals(value, value.Trim().Normalize(NormalizationForm.FormC), StringComparison.Ordinal)
                || value.Any(char.IsControl))
            {
                validation.Report(node, $"'{key}' value '{value}' must not have surrounding spaces, control characters or non-NFC text");
            }
            else if (value.Length > maxLength)
            {
                validation.Report(
                    node,
                    string.Create(CultureInfo.InvariantCulture, $"'{key}' value '{value}' is longer than '{validation.KeyName("max_length")}' ({maxLength})"));
            }
            else if (!seen.Add(value))
            {
                validation.Report(node, $"'{key}' lists '{value}' more than once");
            }
        }

        return [.. items.Select(item => item.Value)];
    }

    private static FrozenDictionary<string, string>? ReadLocalizedTitle(YamlEntry entry, string key)
    {
        var title = entry.Localized(key);
        if (title is null)
        {
            return null;
        }

        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var language in title.Keys.ToList())
        {
            if (title.Text(language, required: true) is { } text)
            {
                texts[language] = text;
            }
        }

        return texts.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>An ISO 8601 date duration; a zero period is refused because it says nothing.</summary>
    internal static IsoPeriod? ReadPeriod(YamlEntry entry, string key, bool required, string zeroHint)
    {
        var text = entry.String(key, required);
        if (text is null)
        {
            return null;
        }

        if (!IsoPeriod.TryParse(text, out var period))
        {
            entry.Report(
                entry.Node(key),
                $"'{entry.KeyName(key)}' value '{text}' is not an ISO 8601 date duration such as P10Y, P6M, P30D or P1Y6M");
            return null;
        }

        if (period.IsZero)
        {
            entry.Report(entry.Node(key), $"'{entry.KeyName(key)}' must be longer than zero; {zeroHint}");
            return null;
        }

        return period;
    }
}
