using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace DataVault.Policies;

/// <summary>The words the catalogue YAML may use: names, types, bases and languages.</summary>
internal static partial class CatalogueVocabulary
{
    /// <summary>Notice languages, in the order the portal offers them. <c>en</c> is mandatory everywhere.</summary>
    public static readonly IReadOnlyList<string> Languages = ["en", "es", "ca", "it", "et"];

    public const string RequiredLanguage = "en";

    // Declaration order is the order names are listed in messages; the dictionaries below are built from it.
    private static readonly (string Name, FieldType Type)[] FieldTypeList =
    [
        ("text", FieldType.Text),
        ("email", FieldType.Email),
        ("phone", FieldType.Phone),
        ("date", FieldType.Date),
        ("language", FieldType.Language),
        ("text_list", FieldType.TextList),
    ];

    /// <summary>GDPR Art. 6(1)(a)–(f), spelled as in the YAML and in the purpose version hash.</summary>
    private static readonly (string Name, LawfulBasis Basis)[] LawfulBasisList =
    [
        ("consent", LawfulBasis.Consent),
        ("contract", LawfulBasis.Contract),
        ("legal-obligation", LawfulBasis.LegalObligation),
        ("vital-interests", LawfulBasis.VitalInterests),
        ("public-task", LawfulBasis.PublicTask),
        ("legitimate-interests", LawfulBasis.LegitimateInterests),
    ];

    public static readonly IReadOnlyList<string> FieldTypeNames = [.. FieldTypeList.Select(item => item.Name)];

    public static readonly FrozenDictionary<string, FieldType> FieldTypes =
        FieldTypeList.ToFrozenDictionary(item => item.Name, item => item.Type, StringComparer.Ordinal);

    public static readonly IReadOnlyList<string> LawfulBasisNames = [.. LawfulBasisList.Select(item => item.Name)];

    public static readonly FrozenDictionary<string, LawfulBasis> LawfulBases =
        LawfulBasisList.ToFrozenDictionary(item => item.Name, item => item.Basis, StringComparer.Ordinal);

    public static string YamlName(FieldType type) => FieldTypeList.First(item => item.Type == type).Name;

    public static string YamlName(LawfulBasis basis) => LawfulBasisList.First(item => item.Basis == basis).Name;

    /// <summary>Field names are snake_case because they are JSON property names on the API.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]{0,63}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    public static partial Regex FieldName();

    /// <summary>Purpose ids and key-group names are kebab-case because they appear in URLs and query strings.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9-]{0,63}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    public static partial Regex KebabName();

    /// <summary>fideslang-style dotted category, e.g. <c>user.contact.email</c>: at least two segments.</summary>
    [GeneratedRegex(@"^[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    public static partial Regex DataCategory();

    public static string DidYouMean(string value, IEnumerable<string> candidates) =>
        Suggest(value, candidates) is { } suggestion ? $" (did you mean '{suggestion}'?)" : string.Empty;

    /// <summary>
    /// The candidate closest to a misspelt <paramref name="value"/>, so that a typo such as <c>serchable</c> is
    /// answered with "did you mean 'searchable'?". At most two edits, and one for short words, so that
    /// <c>fr</c> is not "corrected" to <c>it</c>.
    /// </summary>
    private static string? Suggest(string value, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = Math.Min(2, Math.Max(1, value.Length / 3)) + 1;
        foreach (var candidate in candidates)
        {
            var distance = EditDistance(value, candidate);
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static int EditDistance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j], current[j - 1]) + 1);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
