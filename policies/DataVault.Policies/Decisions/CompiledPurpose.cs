using System.Collections.Frozen;
using System.Collections.ObjectModel;

namespace DataVault.Policies.Decisions;

/// <summary>
/// A <see cref="PurposeDefinition"/> prepared once for many decisions: its fields copied and indexed, so that
/// <see cref="ReleasePolicy"/> finds a field in constant time. Build one per purpose when the catalogue is loaded
/// (<see cref="CompileAll"/>) and reuse it for every subject of a bulk export. Immutable and thread-safe.
/// </summary>
public sealed class CompiledPurpose
{
    private readonly string[] fields;
    private readonly FrozenDictionary<string, int> fieldIndex;

    /// <exception cref="ArgumentException">The purpose lists a field twice, or has a null field name.</exception>
    public CompiledPurpose(PurposeDefinition definition)
    {
        ArgumentNullException.ThrowIfNull(definition);
        ArgumentNullException.ThrowIfNull(definition.Id, nameof(definition));
        ArgumentNullException.ThrowIfNull(definition.Version, nameof(definition));
        ArgumentNullException.ThrowIfNull(definition.Fields, nameof(definition));
        Definition = definition;
        Id = definition.Id;
        Version = definition.Version;
        LawfulBasis = definition.LawfulBasis;
        fields = [.. definition.Fields];
        var index = new Dictionary<string, int>(fields.Length, StringComparer.Ordinal);
        for (var i = 0; i < fields.Length; i++)
        {
            if (fields[i] is null)
            {
                throw new ArgumentException($"Purpose '{Id}' has a null field name at position {i}.", nameof(definition));
            }

            // The catalogue loader refuses duplicates; a purpose built in code must not list a field twice either,
            // or the release order would be ambiguous.
            if (!index.TryAdd(fields[i], i))
            {
                throw new ArgumentException($"Purpose '{Id}' lists field '{fields[i]}' more than once.", nameof(definition));
            }
        }

        fieldIndex = index.ToFrozenDictionary(StringComparer.Ordinal);
        Fields = Array.AsReadOnly(fields);
    }

    /// <summary>The definition this was compiled from.</summary>
    public PurposeDefinition Definition { get; }

    public string Id { get; }

    /// <summary>The current version: consents to any other version do not count.</summary>
    public string Version { get; }

    public LawfulBasis LawfulBasis { get; }

    /// <summary>The fields the purpose may use, in the definition's order (the order fields are released in).</summary>
    public ReadOnlyCollection<string> Fields { get; }

    /// <summary>Compiles every purpose of a catalogue, keyed by purpose id.</summary>
    public static FrozenDictionary<string, CompiledPurpose> CompileAll(PolicyCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var compiled = new Dictionary<string, CompiledPurpose>(catalogue.Purposes.Count, StringComparer.Ordinal);
        foreach (var (id, purpose) in catalogue.Purposes)
        {
            compiled.Add(id, new CompiledPurpose(purpose));
        }

        return compiled.ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Whether the purpose lists <paramref name="field"/> (ordinal).</summary>
    public bool Lists(string field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return fieldIndex.ContainsKey(field);
    }

    /// <summary>Position of <paramref name="field"/> in <see cref="Fields"/>, or -1.</summary>
    internal int IndexOf(string field) => fieldIndex.TryGetValue(field, out var index) ? index : -1;

    internal string FieldAt(int index) => fields[index];

    internal int FieldCount => fields.Length;
}
