using System.Collections.Frozen;

namespace DataVault.Policies;

/// <summary>
/// The validated field, key-group and purpose catalogue loaded from <c>policies/catalogue/*.yaml</c>.
/// Immutable once loaded; lookups are by exact, case-sensitive name.
/// </summary>
public sealed class PolicyCatalogue
{
    public PolicyCatalogue(
        IEnumerable<KeyGroupDefinition> keyGroups,
        IEnumerable<FieldDefinition> fields,
        IEnumerable<PurposeDefinition> purposes)
    {
        ArgumentNullException.ThrowIfNull(keyGroups);
        ArgumentNullException.ThrowIfNull(fields);
        ArgumentNullException.ThrowIfNull(purposes);
        KeyGroups = keyGroups.ToFrozenDictionary(k => k.Name, StringComparer.Ordinal);
        Fields = fields.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        Purposes = purposes.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
    }

    /// <summary>The languages every text of the catalogue is written in, in the order the portal offers them.</summary>
    public static IReadOnlyList<string> Languages => CatalogueVocabulary.Languages;

    /// <summary>The language every text must exist in, and the fallback.</summary>
    public const string DefaultLanguage = CatalogueVocabulary.RequiredLanguage;

    public FrozenDictionary<string, KeyGroupDefinition> KeyGroups { get; }

    public FrozenDictionary<string, FieldDefinition> Fields { get; }

    public FrozenDictionary<string, PurposeDefinition> Purposes { get; }
}
