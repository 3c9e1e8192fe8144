using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace DataVault.Policies;

/// <summary>
/// Computes <see cref="PurposeDefinition.Version"/>. A consent is only valid for the purpose the subject was
/// told about (GDPR Art. 4(11) "specific, informed"; Art. 7(1) the controller must be able to demonstrate it),
/// so every consent event records the version it was given for, and any change to the definition — fields,
/// basis, retention, GPC handling or the wording of any notice — must produce a new version.
/// </summary>
/// <remarks>
/// <para>
/// <see cref="PurposeDefinition.DirectMarketing"/> is left out: it changes no word of what the subject was told or
/// agreed to, only that integrating systems can no longer lift the subject's objection (Art. 21(3)). Marking a
/// purpose must not void every consent given to it.
/// </para>
/// <para>
/// The hash is taken over a serialization defined here rather than over JSON or YAML, so that neither a
/// library upgrade nor reformatting the YAML can change a version: fields and languages are sorted
/// ordinally, texts are the trimmed NFC strings the loader keeps, and every value is prefixed with its
/// UTF-8 length so no two definitions serialize alike.
/// </para>
/// </remarks>
internal static class PurposeVersion
{
    private const string Format = "datavault.purpose.v1";

    /// <summary>Number of hex digits kept: 64 bits, plenty to tell the versions of one purpose apart.</summary>
    private const int Length = 16;

    public static string Compute(PurposeDefinition purpose)
    {
        var canonical = Canonicalize(purpose);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
        return Convert.ToHexStringLower(hash)[..Length];
    }

    internal static string Canonicalize(PurposeDefinition purpose)
    {
        var text = new StringBuilder();
        text.Append(Format).Append('\n');
        Append(text, "id", purpose.Id);
        Append(text, "lawful_basis", CatalogueVocabulary.YamlName(purpose.LawfulBasis));
        var fields = purpose.Fields.Order(StringComparer.Ordinal).ToList();
        Append(text, "fields", fields.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var field in fields)
        {
            Append(text, "field", field);
        }

        Append(text, "retention", purpose.Retention.ToString());
        Append(text, "gpc_objection", purpose.GpcObjection ? "true" : "false");
        var languages = purpose.Text.Keys.Order(StringComparer.Ordinal).ToList();
        Append(text, "languages", languages.Count.ToString(CultureInfo.InvariantCulture));
        foreach (var language in languages)
        {
            Append(text, "language", language);
            Append(text, "title", purpose.Text[language].Title);
            Append(text, "description", purpose.Text[language].Description);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, string key, string value) =>
        text.Append(CultureInfo.InvariantCulture, $"{key}={Encoding.UTF8.GetByteCount(value)}:{value}\n");
}
