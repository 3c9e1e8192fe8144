using System.Net;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using DataVault.Portal.Localization;

namespace DataVault.Portal.Tests;

/// <summary>
/// The portal speaks English, Spanish, Catalan, Italian and Estonian. Texts are looked up by their
/// English wording, so a missing translation would silently show English: these tests read every
/// page and page model, find each text they look up, and require it in every language's resource file.
/// </summary>
public sealed partial class TranslationTests
{
    private static readonly string[] Languages = ["es", "ca", "it", "et"];

    private static readonly string PortalSource = Path.Combine(TestPaths.RepositoryRoot, "portal", "DataVault.Portal");

    [Fact]
    public void EveryTextLookedUp_IsTranslatedIntoEveryLanguage()
    {
        var missing = new List<string>();
        foreach (var (resource, key, file) in TextsLookedUp())
        {
            foreach (var language in Languages)
            {
                var translations = Translations(resource, language);
                if (!translations.TryGetValue(key, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    missing.Add($"{file}: \"{key}\" has no {language} text in {resource}.{language}.resx");
                }
                else if (!Placeholders(key).SetEquals(Placeholders(value)))
                {
                    missing.Add($"{file}: the {language} text of \"{key}\" does not use the same placeholders");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing.Distinct()));
    }

    [Fact]
    public void EveryCountedText_HasTheManyFormOfEachLanguageWhoseRulesHaveOne()
    {
        // CLDR: Spanish, Catalan and Italian have a "many" form for whole millions ("1.000.000 de clientes").
        var missing = new List<string>();
        foreach (var (resource, _, other, file) in PluralsLookedUp())
        {
            foreach (var language in new[] { "es", "ca", "it" })
            {
                if (!Translations(resource, language).TryGetValue(other + PluralText.ManySuffix, out var value) || string.IsNullOrWhiteSpace(value))
                {
                    missing.Add($"{file}: \"{other}\" has no {language} \"many\" form in {resource}.{language}.resx");
                }
            }
        }

        Assert.True(missing.Count == 0, string.Join(Environment.NewLine, missing.Distinct()));
    }

    [Fact]
    public void EveryTranslation_IsOfATextThePortalLooksUp()
    {
        var used = TextsLookedUp().Select(t => (t.Resource, t.Key))
            .Concat(PluralsLookedUp().Select(p => (p.Resource, p.Other + PluralText.ManySuffix)))
            .ToHashSet();
        var unused = ResourceFiles()
            .SelectMany(file => Entries(file.Path).Keys.Select(key => (file.Resource, Key: key, file.Path)))
            .Where(entry => !used.Contains((entry.Resource, entry.Key)))
            .Select(entry => $"{Path.GetFileName(entry.Path)}: \"{entry.Key}\" is not used")
            .ToList();
        Assert.True(unused.Count == 0, string.Join(Environment.NewLine, unused));
    }

    [Fact]
    public void EveryResource_ExistsInEveryLanguage()
    {
        foreach (var group in ResourceFiles().GroupBy(f => f.Resource))
        {
            Assert.Equal(Languages.Order(), group.Select(f => f.Language).Order());
        }
    }

    [Theory]
    [InlineData("es", "Portal de privacidad")]
    [InlineData("ca", "Portal de privadesa")]
    [InlineData("it", "Portale privacy")]
    [InlineData("et", "Privaatsusportaal")]
    [InlineData("fr-FR, fr;q=0.9", "Privacy portal")]
    [InlineData("et-EE, en;q=0.5", "Privaatsusportaal")]
    public async Task Pages_FollowTheBrowsersLanguage(string acceptLanguage, string brand)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);

        var (status, page) = await browser.GetAsync("/account/login");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(brand, page, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{(acceptLanguage.StartsWith("fr", StringComparison.Ordinal) ? "en" : acceptLanguage[..2])}\">", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Switcher_RemembersTheChosenLanguage_OverTheBrowsers()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd("es");

        using var switched = await browser.SubmitAsync(
            "/account/login",
            new Dictionary<string, string> { ["culture"] = "ca", ["returnUrl"] = "/account/login?returnUrl=%2Fmy%2Fdata" },
            "/language");

        Assert.Equal(HttpStatusCode.Redirect, switched.StatusCode);
        Assert.Equal("/account/login?returnUrl=%2Fmy%2Fdata", switched.Headers.Location!.OriginalString);
        var (_, page) = await browser.GetAsync("/account/login");
        Assert.Contains("<html lang=\"ca\">", page, StringComparison.Ordinal);
        Assert.Contains("Portal de privadesa", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ca", "https://evil.example/")]
    [InlineData("ca", "//evil.example/")]
    [InlineData("fr", "/")]
    [InlineData("", "/")]
    public async Task Switcher_RefusesUnknownLanguagesAndForeignReturnAddresses(string culture, string returnUrl)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.SubmitAsync(
            "/account/login", new Dictionary<string, string> { ["culture"] = culture, ["returnUrl"] = returnUrl }, "/language");

        if (culture == "ca")
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Equal("/", response.Headers.Location!.OriginalString);
        }
        else
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.False(response.Headers.Contains("Set-Cookie"));
        }
    }

    /// <summary>Each text a page or page model looks up: the resource (localizer type) and the English key.</summary>
    private static IEnumerable<(string Resource, string Key, string File)> TextsLookedUp()
    {
        foreach (var (path, file) in PortalSourceFiles())
        {
            var source = File.ReadAllText(path);
            foreach (Match localizer in LocalizerDeclaration().Matches(source))
            {
                var resource = localizer.Groups[1].Value;
                var lookup = new Regex($@"(?<![\w.]){Regex.Escape(localizer.Groups[2].Value)}\[\s*""((?:[^""\\]|\\.)*)""");
                foreach (Match text in lookup.Matches(source))
                {
                    yield return (resource, Regex.Unescape(text.Groups[1].Value), file);
                }
            }

            foreach (Match message in ErrorMessage().Matches(source))
            {
                yield return ("SharedText", Regex.Unescape(message.Groups[1].Value), file);
            }
        }

        foreach (var (resource, one, other, file) in PluralsLookedUp())
        {
            yield return (resource, one, file);
            yield return (resource, other, file);
        }
    }

    /// <summary>Each counted text (<c>localizer.Plural(count, "one", "other")</c>): the resource and its English "one" and "other" forms.</summary>
    private static IEnumerable<(string Resource, string One, string Other, string File)> PluralsLookedUp()
    {
        foreach (var (path, file) in PortalSourceFiles())
        {
            var source = File.ReadAllText(path);
            foreach (Match localizer in LocalizerDeclaration().Matches(source))
            {
                var lookup = new Regex($@"(?<![\w.]){Regex.Escape(localizer.Groups[2].Value)}\.Plural\([^""]*?,\s*""((?:[^""\\]|\\.)*)"",\s*""((?:[^""\\]|\\.)*)""");
                foreach (Match text in lookup.Matches(source))
                {
                    yield return (localizer.Groups[1].Value, Regex.Unescape(text.Groups[1].Value), Regex.Unescape(text.Groups[2].Value), file);
                }
            }
        }
    }

    private static IEnumerable<(string Path, string File)> PortalSourceFiles() =>
        Directory.EnumerateFiles(PortalSource, "*.*", SearchOption.AllDirectories)
            .Where(p => p.EndsWith(".cshtml", StringComparison.Ordinal) || p.EndsWith(".cs", StringComparison.Ordinal))
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Select(p => (p, Path.GetRelativePath(PortalSource, p)));

    private static IEnumerable<(string Resource, string Language, string Path)> ResourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(PortalSource, "Resources"), "*.resx", SearchOption.AllDirectories)
            .Select(path => Path.GetFileNameWithoutExtension(path).Split('.'))
            .Zip(Directory.EnumerateFiles(Path.Combine(PortalSource, "Resources"), "*.resx", SearchOption.AllDirectories))
            .Select(pair => (pair.First[0], pair.First[^1], pair.Second));

    private static Dictionary<string, string> Translations(string resource, string language) =>
        ResourceFiles().Where(f => f.Resource == resource && f.Language == language).Select(f => Entries(f.Path)).SingleOrDefault() ?? [];

    private static Dictionary<string, string> Entries(string path) =>
        XDocument.Load(path).Root!.Elements("data").ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? string.Empty);

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Value)];

    [GeneratedRegex(@"IStringLocalizer<(\w+)>\s+(\w+)")]
    private static partial Regex LocalizerDeclaration();

    [GeneratedRegex(@"ErrorMessage\s*=\s*""((?:[^""\\]|\\.)*)""")]
    private static partial Regex ErrorMessage();

    [GeneratedRegex(@"\{\d+(?::[^}]*)?\}")]
    private static partial Regex Placeholder();
}
