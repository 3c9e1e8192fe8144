using System.Collections.Frozen;
using YamlDotNet.RepresentationModel;

namespace DataVault.Policies;

/// <summary>Reads and checks <c>purposes.yaml</c>: the <c>purposes</c> section.</summary>
internal static class PurposesFileReader
{
    public const string FileName = "purposes.yaml";

    private static readonly string[] RootKeys = ["purposes"];
    private static readonly string[] PurposeKeys = ["id", "lawful_basis", "fields", "retention", "gpc_objection", "direct_marketing", "text"];
    private static readonly string[] TextKeys = ["title", "description"];

    /// <summary>
    /// Reads <c>purposes</c>. Field references are checked against <paramref name="declaredFieldNames"/>, the
    /// names in <c>fields.yaml</c>, unless it is null because that file could not be read.
    /// </summary>
    public static IReadOnlyList<PurposeDefinition> Read(YamlNode root, IReadOnlySet<string>? declaredFieldNames, CatalogueProblems problems)
    {
        var file = YamlEntry.Open(problems, FileName, null, string.Empty, root, RootKeys);
        var items = file is null ? null : FieldsFileReader.Section(file, "purposes");
        if (items is null)
        {
            return [];
        }

        var purposes = new List<PurposeDefinition>();
        var declared = new Dictionary<string, long>(StringComparer.Ordinal);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var entry = YamlEntry.Open(problems, FileName, YamlEntry.ItemLabel("purposes", i, item, "id"), string.Empty, item, PurposeKeys);
            if (entry is not null && ReadPurpose(entry, problems, declared, declaredFieldNames) is { } purpose)
            {
                purposes.Add(purpose);
            }
        }

        return purposes;
    }

    private static PurposeDefinition? ReadPurpose(
        YamlEntry entry, CatalogueProblems problems, Dictionary<string, long> declared, IReadOnlySet<string>? declaredFieldNames)
    {
        var before = problems.Count;
        var id = entry.String("id", required: true);
        FieldsFileReader.DeclareName(
            entry,
            "id",
            id,
            "purpose",
            "use kebab-case: a lowercase letter, then up to 63 lowercase letters, digits or hyphens",
            n => CatalogueVocabulary.KebabName().IsMatch(n),
            declared);

        var basis = ReadLawfulBasis(entry);
        var fields = ReadFields(entry, declaredFieldNames);
        var retention = FieldsFileReader.ReadPeriod(entry, "retention", required: true, zeroHint: "data must be kept at least for a while to be processed");

        var gpcObjection = entry.Bool("gpc_objection") ?? false;
        if (gpcObjection && basis is LawfulBasis.Contract or LawfulBasis.LegalObligation or LawfulBasis.VitalInterests)
        {
            // GPC signals an objection to sale or sharing. The subject can withdraw consent (Art. 7(3)) or object
            // to processing under Art. 6(1)(e) or (f) (Art. 21(1)), but not to processing a contract, the law
            // or someone's vital interests require, so the flag could never be honoured.
            entry.Report(
                entry.Node("gpc_objection"),
                $"'gpc_objection' cannot be true for lawful basis '{CatalogueVocabulary.YamlName(basis.Value)}': the subject cannot object to it (GDPR Art. 21(1))");
        }

        var directMarketing = entry.Bool("direct_marketing") ?? false;
        if (directMarketing && basis is LawfulBasis.Contract or LawfulBasis.LegalObligation or LawfulBasis.VitalInterests)
        {
            // Direct marketing is never necessary for a contract, required by law or vital to anyone (EDPB
            // Guidelines 2/2019, point 51), and on those bases an objection would not stop it (Art. 21(1)),
            // which Art. 21(3) demands.
            entry.Report(
                entry.Node("direct_marketing"),
                $"'direct_marketing' cannot be true for lawful basis '{CatalogueVocabulary.YamlName(basis.Value)}': direct marketing rests on consent or legitimate interests, and an objection must stop it (GDPR Art. 21(3))");
        }

        var text = ReadText(entry);

        if (problems.Count != before)
        {
            return null;
        }

        var definition = new PurposeDefinition(id!, basis!.Value, fields!, retention!.Value, gpcObjection, text!, Version: string.Empty, directMarketing);
        return definition with { Version = PurposeVersion.Compute(definition) };
    }

    private static LawfulBasis? ReadLawfulBasis(YamlEntry entry)
    {
        var text = entry.String("lawful_basis", required: true);
        if (text is null)
        {
            return null;
        }

        if (CatalogueVocabulary.LawfulBases.TryGetValue(text, out var basis))
        {
            return basis;
        }

        var names = CatalogueVocabulary.LawfulBasisNames;
        entry.Report(
            entry.Node("lawful_basis"),
            $"unknown lawful basis '{text}'{CatalogueVocabulary.DidYouMean(text, names)}; GDPR Art. 6(1) bases are: {string.Join(", ", names)}");
        return null;
    }

    private static string[]? ReadFields(YamlEntry entry, IReadOnlySet<string>? declaredFieldNames)
    {
        var items = entry.StringList("fields", required: true);
        if (items is null)
        {
            return null;
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, node) in items)
        {
            if (!seen.Add(name))
            {
                entry.Report(node, $"'fields' lists '{name}' more than once");
            }
            else if (declaredFieldNames is not null && !declaredFieldNames.Contains(name))
            {
                entry.Report(
                    node,
                    $"unknown field '{name}'{CatalogueVocabulary.DidYouMean(name, declaredFieldNames)}; fields are declared in {FieldsFileReader.FileName}");
            }
        }

        return [.. items.Select(item => item.Value)];
    }

    private static FrozenDictionary<string, LocalizedText>? ReadText(YamlEntry entry)
    {
        var text = entry.Localized("text");
        if (text is null)
        {
            return null;
        }

        var texts = new Dictionary<string, LocalizedText>(StringComparer.Ordinal);
        foreach (var language in text.Keys.ToList())
        {
            // GDPR Art. 7(2) and 12(1): the request for consent must be intelligible, in clear and plain
            // language, so every notice language needs both a title and a description.
            var localized = text.Mapping(language, TextKeys, required: true);
            var title = localized?.Text("title", required: true);
            var description = localized?.Text("description", required: true);
            if (title is not null && description is not null)
            {
                texts[language] = new LocalizedText(title, description);
            }
        }

        return texts.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
