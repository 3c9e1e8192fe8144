using DataVault.Policies;
using DataVault.Portal.Localization;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>Catalogue values the desk pages put into words in the request's language.</summary>
internal static class DeskWords
{
    /// <summary>A GDPR Art. 6(1) lawful basis with its point of the article.</summary>
    public static string LawfulBasis(LawfulBasis basis, IStringLocalizer<DeskText> text) => basis switch
    {
        Policies.LawfulBasis.Consent => text["Consent (GDPR Art. 6(1)(a))"],
        Policies.LawfulBasis.Contract => text["Performance of a contract (GDPR Art. 6(1)(b))"],
        Policies.LawfulBasis.LegalObligation => text["Legal obligation (GDPR Art. 6(1)(c))"],
        Policies.LawfulBasis.VitalInterests => text["Vital interests (GDPR Art. 6(1)(d))"],
        Policies.LawfulBasis.PublicTask => text["Public task (GDPR Art. 6(1)(e))"],
        Policies.LawfulBasis.LegitimateInterests => text["Legitimate interests (GDPR Art. 6(1)(f))"],
        _ => basis.ToString(),
    };

    /// <summary>An ISO 8601 period in words: "2 years", "1 year, 6 months".</summary>
    public static string Period(IsoPeriod period, IStringLocalizer<DeskText> text)
    {
        if (period.IsZero)
        {
            return text["Not kept after use"];
        }

        var parts = new List<string>(3);
        if (period.Years > 0)
        {
            parts.Add(period.Years == 1 ? text["1 year"] : text["{0} years", period.Years]);
        }

        if (period.Months > 0)
        {
            parts.Add(period.Months == 1 ? text["1 month"] : text["{0} months", period.Months]);
        }

        if (period.Days > 0)
        {
            parts.Add(period.Days == 1 ? text["1 day"] : text["{0} days", period.Days]);
        }

        return string.Join(", ", parts);
    }
}
