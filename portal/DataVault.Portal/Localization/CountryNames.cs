using System.Globalization;

namespace DataVault.Portal.Localization;

/// <summary>
/// A country's name in the request's language, from the platform's ICU data: .NET names a culture such as
/// <c>en-US</c> in the reader's language ("inglés (Estados Unidos)") but not a region on its own, so the name is
/// taken from the display name of a culture of that country. Falls back to the English name, then the code.
/// </summary>
internal static class CountryNames
{
    public static string InWords(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var culture = CultureInfo.GetCultures(CultureTypes.SpecificCultures)
            .Where(c => c.Name.EndsWith("-" + code, StringComparison.Ordinal))
            .OrderBy(c => c.Name.Length)
            .ThenBy(c => c.Name, StringComparer.Ordinal)
            .FirstOrDefault();
        var display = culture?.DisplayName;
        var open = display?.LastIndexOf('(') ?? -1;
        if (display is not null && open >= 0 && display.EndsWith(')'))
        {
            // "serbio (latino, Serbia)": the country is the last part inside the brackets.
            var inside = display[(open + 1)..^1];
            var comma = inside.LastIndexOf(", ", StringComparison.Ordinal);
            return comma < 0 ? inside : inside[(comma + 2)..];
        }

        try
        {
            return new RegionInfo(code).EnglishName;
        }
        catch (ArgumentException)
        {
            return code;
        }
    }
}
