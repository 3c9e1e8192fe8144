using DataVault.Policies;
using DataVault.Policies.Decisions;

namespace DataVault.Vault.Changes;

/// <summary>The facts the vault's changes state, built from the catalogue's names so every emitter names purposes and fields alike.</summary>
internal static class ChangeFacts
{
    /// <summary>A consent event for <paramref name="purpose"/>; a refusal changes nothing a recipient holds, so only observers hear of it.</summary>
    public static ChangeFact Consent(ConsentState state, string subjectId, PurposeDefinition purpose) =>
        ForPurposes(
            state switch
            {
                ConsentState.Given => ChangeTypes.ConsentGiven,
                ConsentState.Withdrawn => ChangeTypes.ConsentWithdrawn,
                ConsentState.Expired => ChangeTypes.ConsentExpired,
                _ => ChangeTypes.ConsentRefused,
            },
            subjectId,
            [purpose]) with { Published = state != ConsentState.Refused };

    /// <summary>An objection (Art. 21) to <paramref name="purpose"/>, or, when it is null, to all processing: then every purpose, scope <c>all</c>.</summary>
    public static ChangeFact Objection(bool objects, string subjectId, PurposeDefinition? purpose, PolicyCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var type = objects ? ChangeTypes.ObjectionRecorded : ChangeTypes.ObjectionLifted;
        return purpose is null
            ? ForPurposes(type, subjectId, catalogue.Purposes.Values, new Dictionary<string, string> { ["scope"] = "all" })
            : ForPurposes(type, subjectId, [purpose]);
    }

    /// <summary>A change to <paramref name="purposes"/>: they and the fields they use are affected.</summary>
    public static ChangeFact ForPurposes(string type, string? subjectId, IEnumerable<PurposeDefinition> purposes, IReadOnlyDictionary<string, string>? data = null)
    {
        var affected = purposes.ToList();
        return new ChangeFact(
            type,
            subjectId,
            [.. affected.Select(p => p.Id).Order(StringComparer.Ordinal)],
            [.. affected.SelectMany(p => p.Fields).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            data);
    }

    /// <summary>A change to the subject's <paramref name="fields"/>: every purpose that uses one of them is affected.</summary>
    public static ChangeFact ForFields(string type, string subjectId, IEnumerable<string> fields, PolicyCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var names = fields.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new ChangeFact(
            type,
            subjectId,
            [.. catalogue.Purposes.Values.Where(p => p.Fields.Any(names.Contains)).Select(p => p.Id).Order(StringComparer.Ordinal)],
            names);
    }

    /// <summary>A change to the whole subject (restriction, erasure): every purpose, and the fields it holds.</summary>
    public static ChangeFact ForSubject(string type, string subjectId, IReadOnlyList<string> storedFields, PolicyCatalogue catalogue)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        return new ChangeFact(type, subjectId, [.. catalogue.Purposes.Keys.Order(StringComparer.Ordinal)], storedFields);
    }
}
