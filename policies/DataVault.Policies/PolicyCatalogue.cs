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
        FieldsInOrder = fields.ToList();
        Fields = FieldsInOrder.ToFrozenDictionary(f => f.Name, StringComparer.Ordinal);
        _position = FieldsInOrder.Select((field, index) => (field.Name, index)).ToFrozenDictionary(f => f.Name, f => f.index, StringComparer.Ordinal);
        Purposes = purposes.ToFrozenDictionary(p => p.Id, StringComparer.Ordinal);
    }

    private readonly FrozenDictionary<string, int> _position;

    /// <summary>The languages every text of the catalogue is written in, in the order the portal offers them.</summary>
    public static IReadOnlyList<string> Languages => CatalogueVocabulary.Languages;

    /// <summary>The language every text must exist in, and the fallback.</summary>
    public const string DefaultLanguage = CatalogueVocabulary.RequiredLanguage;

    public FrozenDictionary<string, KeyGroupDefinition> KeyGroups { get; }

    public FrozenDictionary<string, FieldDefinition> Fields { get; }

    public FrozenDictionary<string, PurposeDefinition> Purposes { get; }

    /// <summary>
    /// The fields in the order <c>fields.yaml</c> declares them: the one order in which people are shown
    /// fields (name, contact details, address, personal details, preferences, billing last).
    /// </summary>
    public IReadOnlyList<FieldDefinition> FieldsInOrder { get; }

    /// <summary><paramref name="fieldNames"/> in the catalogue's order (<see cref="FieldsInOrder"/>); names it does not declare come last, by name.</summary>
    public IReadOnlyList<string> InDisplayOrder(IEnumerable<string> fieldNames) => InDisplayOrder(fieldNames, name => name);

    /// <summary><paramref name="items"/> in the catalogue's order of the field each is about; fields it does not declare come last, by name.</summary>
    public IReadOnlyList<T> InDisplayOrder<T>(IEnumerable<T> items, Func<T, string> fieldName)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(fieldName);
        return items
            .OrderBy(item => _position.TryGetValue(fieldName(item), out var position) ? position : int.MaxValue)
            .ThenBy(fieldName, StringComparer.Ordinal)
            .ToList();
    }
}
