namespace DataVault.Portal.Localization;

/// <summary>
/// Retention periods of the catalogue (ISO 8601) in words of the request's language: "2 years",
/// "1 year and 6 months". Translations live in <c>Resources/Localization/PeriodText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class PeriodText(IStringLocalizer<PeriodText> text)
{
    public string InWords(IsoPeriod period)
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

        return parts.Count == 1 ? parts[0] : text["{0} and {1}", string.Join(", ", parts[..^1]), parts[^1]];
    }
}
