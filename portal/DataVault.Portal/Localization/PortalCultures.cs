using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Localization;

namespace DataVault.Portal.Localization;

/// <summary>
/// The portal's languages: those of the policy catalogue (every purpose text exists in each), chosen
/// by the language cookie the switcher sets, else by the browser's Accept-Language, else English.
/// </summary>
internal static class PortalCultures
{
    /// <summary>The cookie the language switcher sets; it holds only the language code.</summary>
    public const string CookieName = "DataVault.Culture";

    public static IReadOnlyList<string> Codes => PolicyCatalogue.Languages;

    /// <summary>The language of the current request: one of <see cref="Codes"/>.</summary>
    public static string Current
    {
        get
        {
            var code = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            return Codes.Contains(code) ? code : PolicyCatalogue.DefaultLanguage;
        }
    }

    /// <summary>A language's own name for itself, capitalised as in a menu: "English", "Español", "Català", "Italiano", "Eesti".</summary>
    public static string NativeName(string code)
    {
        var culture = CultureInfo.GetCultureInfo(code);
        return culture.TextInfo.ToTitleCase(culture.NativeName);
    }

    public static RequestLocalizationOptions Options()
    {
        var cultures = Codes.Select(CultureInfo.GetCultureInfo).ToList();
        var options = new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(PolicyCatalogue.DefaultLanguage),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            FallBackToParentCultures = true,
            FallBackToParentUICultures = true,
        };
        options.RequestCultureProviders =
        [
            new CookieRequestCultureProvider { CookieName = CookieName },
            new AcceptLanguageHeaderRequestCultureProvider(),
        ];
        return options;
    }
}
