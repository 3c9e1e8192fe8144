using System.Globalization;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Localization;

/// <summary>The plural categories of CLDR's cardinal rules that the portal's languages use.</summary>
internal enum PluralCategory
{
    One,
    Many,
    Other,
}

/// <summary>
/// CLDR's cardinal plural rules (Unicode CLDR 46, <c>plurals.xml</c>) of the portal's languages, for whole
/// numbers (the portal counts people, entries and codes, never fractions). English and Estonian have "one"
/// (<c>i = 1 and v = 0</c>) and "other"; Spanish ("one": <c>n = 1</c>), Catalan and Italian ("one":
/// <c>i = 1 and v = 0</c>) also have "many" for whole millions (<c>e = 0 and i != 0 and i % 1000000 = 0
/// and v = 0</c>: "1.000.000 de clientes").
/// </summary>
internal static class PluralRules
{
    public static PluralCategory Of(string language, long count)
    {
        var n = Math.Abs(count);
        if (n == 1)
        {
            return PluralCategory.One;
        }

        return language is "es" or "ca" or "it" && n != 0 && n % 1_000_000 == 0 ? PluralCategory.Many : PluralCategory.Other;
    }
}

/// <summary>
/// A text that counts something, in the form the request's language uses for that number. The English forms
/// are the keys: <c>one</c> for the "one" category, <c>other</c> for every other; a language with a "many"
/// category translates <c>other + " [many]"</c> too. The count is <c>{0}</c>, written as the language writes numbers.
/// </summary>
internal static class PluralText
{
    /// <summary>Appended to the "other" key for a language's "many" form.</summary>
    public const string ManySuffix = " [many]";

    public static string Plural(this IStringLocalizer text, long count, string one, string other)
    {
        ArgumentNullException.ThrowIfNull(text);
        var number = count.ToString("N0", CultureInfo.CurrentCulture);
        switch (PluralRules.Of(PortalCultures.Current, count))
        {
            case PluralCategory.One:
                return text[one, number];
            case PluralCategory.Many when text[other + ManySuffix, number] is { ResourceNotFound: false } many:
                return many;
            default:
                return text[other, number];
        }
    }
}
