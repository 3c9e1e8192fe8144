using System.Text.RegularExpressions;
using DataVault.Policies;

namespace DataVault.Portal.Tests;

/// <summary>
/// One register of address per language in everything a customer reads: the portal's texts and the catalogue's
/// purposes and fields speak to the customer informally (tú, tu, tu, sina), as the catalogue always has; moving
/// the catalogue to the formal register instead would change every purpose's version and void the consents given
/// for it. The officers' desk (DeskText) speaks to staff, not customers, and is not checked here.
/// </summary>
public sealed partial class TranslationTests
{
    /// <summary>Words that only the formal register uses, per language: pronouns, possessives and formal imperatives.</summary>
    private static readonly Dictionary<string, Regex> FormalWords = new(StringComparer.Ordinal)
    {
        ["es"] = Words("usted", "ustedes", "introduzca", "escriba", "elija", "compruebe", "pida", "espere", "vuelva", "marque", "utilice",
            "repita", "escanee", "configure", "actívelo", "revíselo", "inténtelo", "desactive", "opóngase", "dé", "pulse", "descargue", "imprima"),
        ["ca"] = Words("vós", "vostè", "vostre", "vostra", "vostres", "us", "podeu", "teniu", "heu", "sou", "voleu", "introduïu", "escriviu",
            "trieu", "comproveu", "demaneu", "espereu", "torneu", "marqueu", "feu", "repetiu", "escanegeu", "activeu", "desactiveu", "reviseu",
            "configureu", "oposeu", "doneu", "retireu", "limiteu", "vegeu", "descarregueu", "baixeu", "imprimiu", "iniciareu", "podreu"),
        ["it"] = Words("lei", "inserisca", "riprovi", "attenda", "scarichi", "selezioni", "confermi", "apra", "chieda", "ripeta", "utilizzi"),
        ["et"] = Words("teie", "teid", "teil", "teile", "teilt", "teiega", "te", "olete", "saate", "võite", "soovite", "sisestage", "valige",
            "kontrollige", "proovige", "oodake", "lülitage", "kasutage", "küsige", "avage", "märkige", "laske", "vaadake", "piirake", "esitage",
            "andke", "võtke", "kinnitage", "skannige", "seadistage", "logite", "kustutate"),
    };

    [Fact]
    public void EveryCustomerText_UsesTheInformalRegister()
    {
        var formal = ResourceFiles()
            .Where(file => file.Resource != "DeskText")
            .SelectMany(file => Entries(file.Path).Select(entry => (Where: $"{Path.GetFileName(file.Path)} \"{entry.Key}\"", file.Language, Text: entry.Value)))
            .Where(text => IsFormal(text.Language, text.Text))
            .Select(text => $"{text.Where}: {text.Text}")
            .ToList();

        Assert.True(formal.Count == 0, string.Join(Environment.NewLine, formal));
    }

    [Fact]
    public void EveryCatalogueText_UsesTheInformalRegister()
    {
        var catalogue = PolicyCatalogueLoader.Load(TestPaths.Catalogue);
        var texts = catalogue.Purposes.Values
            .SelectMany(purpose => purpose.Text.Select(text => (Where: $"purpose {purpose.Id}", Language: text.Key, Text: $"{text.Value.Title} {text.Value.Description}")))
            .Concat(catalogue.Fields.Values.SelectMany(field => field.Title.Select(title => (Where: $"field {field.Name}", Language: title.Key, Text: title.Value))))
            .Concat(catalogue.Fields.Values.SelectMany(field => (field.ValueTitles ?? new Dictionary<string, IReadOnlyDictionary<string, string>>())
                .SelectMany(value => value.Value.Select(title => (Where: $"field {field.Name} value {value.Key}", Language: title.Key, Text: title.Value)))));

        var formal = texts.Where(text => IsFormal(text.Language, text.Text)).Select(text => $"{text.Where} ({text.Language}): {text.Text}").ToList();

        Assert.True(formal.Count == 0, string.Join(Environment.NewLine, formal));
    }

    [Theory]
    [InlineData("es", "Introduzca su código", true)]
    [InlineData("es", "Introduce tu código", false)]
    [InlineData("ca", "Trieu una contrasenya.", true)]
    [InlineData("ca", "Tria una contrasenya. Si us plau, no hi responguis.", false)]
    [InlineData("et", "Sisestage oma kood", true)]
    [InlineData("et", "Sisesta oma kood", false)]
    [InlineData("it", "Può ignorarlo, se lei non lo aspettava.", true)]
    [InlineData("it", "Puoi ignorarlo.", false)]
    public void IsFormal_TellsTheRegistersApart(string language, string text, bool formal) => Assert.Equal(formal, IsFormal(language, text));

    /// <summary>
    /// Whether <paramref name="text"/> addresses its reader formally. Catalan's "si us plau" (please) is a fixed
    /// formula used in both registers, so it is not a sign of the formal one.
    /// </summary>
    private static bool IsFormal(string language, string text) =>
        FormalWords.TryGetValue(language, out var words)
        && words.IsMatch(language == "ca" ? text.Replace("si us plau", string.Empty, StringComparison.OrdinalIgnoreCase) : text);

    private static Regex Words(params string[] words) =>
        new($@"(?<![\p{{L}}'’-])(?:{string.Join('|', words.Select(Regex.Escape))})(?![\p{{L}}'’-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
