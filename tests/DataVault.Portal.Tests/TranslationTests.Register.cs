using System.Text.RegularExpressions;
using DataVault.Policies;
using DataVault.Vault.Accounts;
using DataVault.Vault.Consents;
using DataVault.Vault.Requests;

namespace DataVault.Portal.Tests;

/// <summary>
/// One register of address per language in everything the product says to a person: the portal's texts (the
/// customer's pages and the officers' desk alike), the e-mails the vault sends, and the catalogue's purposes and
/// fields all speak informally (tú, tu, tu, sina), as the catalogue always has; moving the catalogue to the formal
/// register instead would change every purpose's version and void the consents given for it.
/// </summary>
public sealed partial class TranslationTests
{
    /// <summary>
    /// Words that only the formal register uses, per language: pronouns, possessives, verb forms and formal
    /// imperatives. Forms that the informal register shares ("su" and "suo" for a third person, "verá", Italian
    /// "scelga" and "indichi", which are also "tu" forms) are left out so that a correct informal text never fails.
    /// </summary>
    private static readonly Dictionary<string, Regex> FormalWords = new(StringComparer.Ordinal)
    {
        ["es"] = Words(
            "usted", "ustedes", "introduzca", "escriba", "elija", "compruebe", "pida", "espere", "vuelva", "marque", "utilice",
            "repita", "escanee", "configure", "actívelo", "revíselo", "inténtelo", "desactive", "opóngase", "dé", "pulse", "descargue", "imprima",
            "busque", "ábralo", "indique", "exporte", "verifique", "avise", "avísele", "avísenos", "anote", "guarde", "guárdelos", "genere",
            "configúrelo", "inicie", "mire", "abra", "ignore", "ha olvidado", "ha perdido", "le queda", "le quedan"),
        ["ca"] = Words(
            "vós", "vostè", "vostre", "vostra", "vostres", "us", "podeu", "teniu", "heu", "sou", "voleu", "introduïu", "escriviu",
            "trieu", "comproveu", "demaneu", "espereu", "torneu", "marqueu", "feu", "repetiu", "escanegeu", "activeu", "desactiveu", "reviseu",
            "configureu", "oposeu", "doneu", "retireu", "limiteu", "vegeu", "descarregueu", "baixeu", "imprimiu", "iniciareu", "podreu",
            "cerqueu", "exporteu", "verifiqueu", "aviseu", "indiqueu", "anoteu", "aixequeu", "obriu", "veureu", "perdeu", "deseu", "genereu",
            "inicieu", "mireu", "ignoreu", "envieu", "hàgiu", "haureu", "vau"),
        ["it"] = Words(
            "lei", "inserisca", "riprovi", "attenda", "scarichi", "selezioni", "confermi", "apra", "chieda", "ripeta", "utilizzi",
            "la preghiamo"),
        ["et"] = Words(
            "teie", "teid", "teil", "teile", "teilt", "teiega", "te", "olete", "saate", "võite", "soovite", "sisestage", "valige",
            "kontrollige", "proovige", "oodake", "lülitage", "kasutage", "küsige", "avage", "märkige", "laske", "vaadake", "piirake", "esitage",
            "andke", "võtke", "kinnitage", "skannige", "seadistage", "logite", "kustutate",
            "otsige", "eksportige", "näete", "ärge", "looge", "hoidke", "saatke", "salvestage", "logige", "olite", "peate", "lülitate",
            "kaotate", "kaotasite", "unustasite", "salvestasite", "sisestasite"),
    };

    /// <summary>
    /// Catalan's formal imperative with a pronoun after it ("aviseu-lo", "torneu-ho", "envieu-me"), whatever the
    /// verb: the informal one ends differently ("avisa'l", "torna-ho", "envia'm").
    /// </summary>
    private static readonly Regex CatalanFormalImperativeWithPronoun =
        new(@"(?<![\p{L}'’-])\p{L}+eu-(?:lo|la|los|les|ne|ho|hi|me|nos|li)(?![\p{L}'’-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [Fact]
    public void EveryPortalText_UsesTheInformalRegister()
    {
        var formal = ResourceFiles()
            .SelectMany(file => Entries(file.Path).Select(entry => (Where: $"{Path.GetFileName(file.Path)} \"{entry.Key}\"", file.Language, Text: entry.Value)))
            .Where(text => IsFormal(text.Language, text.Text))
            .Select(text => $"{text.Where}: {text.Text}")
            .ToList();

        Assert.True(formal.Count == 0, string.Join(Environment.NewLine, formal));
    }

    [Fact]
    public void EveryMail_UsesTheInformalRegister()
    {
        var at = new DateTimeOffset(2026, 1, 31, 14, 30, 0, TimeSpan.Zero);
        var mails = AccountMail.Languages.SelectMany(language => Enum.GetValues<AccountChange>()
                .Select(change => AccountMail.Notice("someone@example.com", language, change, at, "Example", "subject"))
                .Append(AccountMail.PasswordReset("someone@example.com", language, "https://example.com/reset", at, "Example", "subject")))
            .Concat(InvitationMail.Languages.Select(language => InvitationMail.Compose("someone@example.com", language, "https://example.com/invite", at, "Example", "subject")))
            .Concat(RestrictionLiftNotice.Languages.Select(language => RestrictionLiftNotice.Compose("someone@example.com", language, "subject")))
            .Concat(RequestNotices.Languages.SelectMany(language => RequestTypes.All.SelectMany(type => RefusalReasons.All
                .SelectMany(reason => RequestNotices.Kinds.Select(kind => RequestNotices.Compose(kind, SampleRequest(type, language, reason), "someone@example.com", null, "Explanation.", "Example")))
                .Append(RequestNotices.ComposeCode(SampleRequest(type, language, RefusalReasons.Other), "someone@example.com", "subject", "12345678", at, "Example")))));

        var formal = mails
            .Where(mail => IsFormal(mail.Language, $"{mail.Subject} {mail.TextBody}"))
            .Select(mail => $"{mail.Kind} ({mail.Language}): {mail.Subject} {mail.TextBody}")
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
    [InlineData("es", "Busque a un cliente y ábralo.", true)]
    [InlineData("es", "Busca a un cliente por su número de teléfono y ábrelo: el cliente lo verá.", false)]
    [InlineData("ca", "Aviseu-lo abans per un altre mitjà.", true)]
    [InlineData("ca", "Cada consentiment que vau donar.", true)]
    [InlineData("ca", "Avisa'l abans i torna-ho a provar; el seu compte és al portal de l'Espai Econòmic Europeu.", false)]
    [InlineData("et", "Otsige klienti ja kontrollige selle terviklust.", true)]
    [InlineData("et", "Otsi klienti ja kontrolli selle terviklust.", false)]
    [InlineData("it", "La preghiamo di scegliere una password.", true)]
    [InlineData("it", "Cerca un cliente e aprilo con il suo identificativo, a meno che tu non scelga altro.", false)]
    public void IsFormal_TellsTheRegistersApart(string language, string text, bool formal) => Assert.Equal(formal, IsFormal(language, text));

    /// <summary>A request whose notices are composed for every type, reason and language.</summary>
    private static RequestRecord SampleRequest(string type, string language, string reason) => new()
    {
        Id = "0198c8a4-0000-7000-8000-000000000001",
        Type = type,
        Channel = RequestChannels.Email,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        ReceivedDate = new DateOnly(2026, 3, 5),
        Language = language,
        Status = RequestStatuses.Refused,
        DueDate = new DateOnly(2026, 4, 6),
        FirstDueDate = new DateOnly(2026, 4, 6),
        RefusalReason = reason,
        ClosedAt = DateTimeOffset.UnixEpoch,
        CreatedBy = "officer-1",
        UpdatedAt = DateTimeOffset.UnixEpoch,
    };

    /// <summary>
    /// Whether <paramref name="text"/> addresses its reader formally. Catalan's "si us plau" (please) is a fixed
    /// formula used in both registers, so it is not a sign of the formal one.
    /// </summary>
    private static bool IsFormal(string language, string text)
    {
        if (!FormalWords.TryGetValue(language, out var words))
        {
            return false;
        }

        if (language != "ca")
        {
            return words.IsMatch(text);
        }

        var withoutPlease = text.Replace("si us plau", string.Empty, StringComparison.OrdinalIgnoreCase);
        return words.IsMatch(withoutPlease) || CatalanFormalImperativeWithPronoun.IsMatch(withoutPlease);
    }

    private static Regex Words(params string[] words) =>
        new($@"(?<![\p{{L}}'’-])(?:{string.Join('|', words.Select(Regex.Escape))})(?![\p{{L}}'’-])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
}
