using System.Globalization;
using System.Text;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DataVault.Policies;

/// <summary>
/// Reads one YAML mapping of the catalogue against a fixed set of keys. Reading through the representation
/// model rather than a deserializer keeps line numbers for every value and lets one load report every
/// problem; unknown keys are always an error, because a silently ignored typo (<c>serchable: true</c>)
/// would make the catalogue say something other than what its editor meant.
/// </summary>
internal sealed class YamlEntry
{
    private readonly CatalogueProblems problems;
    private readonly YamlMappingNode node;
    private readonly string path;
    private readonly Dictionary<string, YamlNode> values;

    private YamlEntry(
        CatalogueProblems problems, string fileName, string? label, string path, YamlMappingNode node, Dictionary<string, YamlNode> values)
    {
        this.problems = problems;
        FileName = fileName;
        Label = label;
        this.path = path;
        this.node = node;
        this.values = values;
    }

    public string FileName { get; }

    /// <summary>The entry named in problems, e.g. <c>fields[3] 'phone'</c>.</summary>
    public string? Label { get; }

    /// <summary>
    /// Opens <paramref name="node"/> as a mapping whose keys must be among <paramref name="knownKeys"/>;
    /// reports every other key. Null (and a reported problem) when the node is not a mapping.
    /// <paramref name="path"/> prefixes key names in messages (<c>validation.</c>; empty at the top of an
    /// entry); <paramref name="keysAreLanguages"/> words unknown keys as unsupported languages.
    /// </summary>
    public static YamlEntry? Open(
        CatalogueProblems problems,
        string fileName,
        string? label,
        string path,
        YamlNode node,
        IReadOnlyList<string> knownKeys,
        bool keysAreLanguages = false)
    {
        if (node is not YamlMappingNode mapping)
        {
            var what = path.Length == 0 ? "this entry" : $"'{path.TrimEnd('.')}'";
            problems.Add(fileName, label, LineOf(node), $"{what} must be a mapping of keys to values, not {Describe(node)}");
            return null;
        }

        var values = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        foreach (var (key, value) in mapping.Children)
        {
            if (key is not YamlScalarNode { Value: { Length: > 0 } name })
            {
                problems.Add(fileName, label, LineOf(key), $"keys must be plain names, not {Describe(key)}");
                continue;
            }

            if (!knownKeys.Contains(name, StringComparer.Ordinal))
            {
                var (noun, allowed) = keysAreLanguages ? ("unsupported language", "supported languages") : ("unknown key", "allowed keys");
                problems.Add(
                    fileName,
                    label,
                    LineOf(key),
                    $"{noun} '{path}{name}'{CatalogueVocabulary.DidYouMean(name, knownKeys)}; {allowed}: {string.Join(", ", knownKeys)}");
                continue;
            }

            values[name] = value;
        }

        return new YamlEntry(problems, fileName, label, path, mapping, values);
    }

    /// <summary>1-based line of a node, as YamlDotNet counts.</summary>
    public static long LineOf(YamlNode node) => node.Start.Line;

    /// <summary>The label of item <paramref name="index"/> of a list, with its name when it has one: <c>fields[3] 'phone'</c>.</summary>
    public static string ItemLabel(string section, int index, YamlNode item, string nameKey)
    {
        var label = string.Create(CultureInfo.InvariantCulture, $"{section}[{index}]");
        if (item is not YamlMappingNode mapping)
        {
            return label;
        }

        foreach (var (key, value) in mapping.Children)
        {
            if (key is YamlScalarNode { Value: { } keyName }
                && string.Equals(keyName, nameKey, StringComparison.Ordinal)
                && value is YamlScalarNode { Value: { Length: > 0 } name }
                && !IsNull(value))
            {
                return $"{label} '{name}'";
            }
        }

        return label;
    }

    public static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping",
        YamlSequenceNode => "a list",
        _ when IsNull(node) => "an empty value",
        _ => "a single value",
    };

    /// <summary>YAML 1.2 core-schema null: an empty plain scalar, <c>~</c> or <c>null</c>.</summary>
    public static bool IsNull(YamlNode node) =>
        node is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any, Value: null or "" or "~" or "null" or "Null" or "NULL" };

    public void Report(YamlNode? at, string message) => problems.Add(FileName, Label, LineOf(at ?? node), message);

    /// <summary>Reports a problem about the whole entry, e.g. a missing key, at the entry's first line.</summary>
    public void Report(string message) => Report(null, message);

    public string KeyName(string key) => path + key;

    /// <summary>The value node of <paramref name="key"/>; null when the key is absent or its value is empty.</summary>
    public YamlNode? Node(string key) => values.TryGetValue(key, out var value) && !IsNull(value) ? value : null;

    public bool Has(string key) => Node(key) is not null;

    /// <summary>A scalar string value, as written. Reports a missing required key, an empty value and a non-scalar.</summary>
    public string? String(string key, bool required)
    {
        if (!values.TryGetValue(key, out var value))
        {
            if (required)
            {
                Report($"missing required key '{KeyName(key)}'");
            }

            return null;
        }

        if (IsNull(value))
        {
            Report(value, $"'{KeyName(key)}' must not be empty");
            return null;
        }

        if (value is not YamlScalarNode { Value: { } text })
        {
            Report(value, $"'{KeyName(key)}' must be a single value, not {Describe(value)}");
            return null;
        }

        return text;
    }

    /// <summary>A free text (title, description): trimmed, so folded YAML blocks lose their final line break, and NFC-normalized.</summary>
    public string? Text(string key, bool required)
    {
        var raw = String(key, required);
        if (raw is null)
        {
            return null;
        }

        var text = raw.Trim();
        if (text.Length == 0)
        {
            Report(Node(key), $"'{KeyName(key)}' must not be blank");
            return null;
        }

        return text.Normalize(NormalizationForm.FormC);
    }

    /// <summary>An optional boolean: <c>true</c> or <c>false</c> unquoted, as YAML 1.2 spells them.</summary>
    public bool? Bool(string key)
    {
        if (!values.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "True" or "TRUE" })
        {
            return true;
        }

        if (value is YamlScalarNode { Style: ScalarStyle.Plain, Value: "false" or "False" or "FALSE" })
        {
            return false;
        }

        Report(value, $"'{KeyName(key)}' must be true or false");
        return null;
    }

    /// <summary>An optional whole number, unquoted.</summary>
    public int? Int(string key)
    {
        if (!values.TryGetValue(key, out var value))
        {
            return null;
        }

        if (value is YamlScalarNode { Style: ScalarStyle.Plain, Value: { } text }
            && int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        Report(value, $"'{KeyName(key)}' must be a whole number");
        return null;
    }

    /// <summary>A list of single values. Reports a missing required key, an empty list and non-scalar items.</summary>
    public IReadOnlyList<(string Value, YamlNode Node)>? StringList(string key, bool required)
    {
        if (!values.TryGetValue(key, out var value))
        {
            if (required)
            {
                Report($"missing required key '{KeyName(key)}'");
            }

            return null;
        }

        if (value is not YamlSequenceNode sequence)
        {
            Report(value, $"'{KeyName(key)}' must be a list, not {Describe(value)}");
            return null;
        }

        if (sequence.Children.Count == 0)
        {
            Report(value, $"'{KeyName(key)}' must not be an empty list");
            return null;
        }

        var items = new List<(string, YamlNode)>(sequence.Children.Count);
        var allValid = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            if (item is YamlScalarNode { Value: { Length: > 0 } text } && !IsNull(item))
            {
                items.Add((text, item));
            }
            else
            {
                Report(item, string.Create(CultureInfo.InvariantCulture, $"'{KeyName(key)}[{i}]' must be a single non-empty value, not {Describe(item)}"));
                allValid = false;
            }
        }

        return allValid ? items : null;
    }

    /// <summary>A nested mapping read against its own keys, e.g. <c>validation</c>.</summary>
    public YamlEntry? Mapping(string key, IReadOnlyList<string> knownKeys, bool required, bool keysAreLanguages = false)
    {
        if (!values.TryGetValue(key, out var value) || IsNull(value))
        {
            if (required)
            {
                Report(value, value is null ? $"missing required key '{KeyName(key)}'" : $"'{KeyName(key)}' must not be empty");
            }

            return null;
        }

        return Open(problems, FileName, Label, $"{path}{key}.", value, knownKeys, keysAreLanguages);
    }

    /// <summary>
    /// A mapping from notice language to a value, e.g. <c>title: { en: …, es: … }</c>: only the catalogue's
    /// languages, and <c>en</c> always, because it is the fallback every notice can be shown in.
    /// </summary>
    public YamlEntry? Localized(string key)
    {
        var entry = Mapping(key, CatalogueVocabulary.Languages, required: true, keysAreLanguages: true);
        if (entry is not null && !entry.values.ContainsKey(CatalogueVocabulary.RequiredLanguage))
        {
            entry.Report($"'{KeyName(key)}' has no '{CatalogueVocabulary.RequiredLanguage}' text; English is required as the fallback language");
        }

        return entry;
    }

    /// <summary>The known keys present, in file order.</summary>
    public IEnumerable<string> Keys => values.Keys;
}
