using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DataVault.Policies;

/// <summary>
/// An ISO 8601 date duration (<c>P10Y</c>, <c>P6M</c>, <c>P30D</c>, <c>P1Y6M</c>): the unit of every retention
/// rule in the catalogue (GDPR Art. 5(1)(e) storage limitation, Art. 13(2)(a) "the period for which the personal
/// data will be stored"). Calendar units are kept apart rather than converted to days, because "ten years"
/// of a legal hold is ten calendar years, not 3650 days.
/// </summary>
/// <remarks>
/// Only the date part of ISO 8601 durations is supported: retention is never specified in hours, and weeks
/// (<c>P2W</c>) are rejected so that <see cref="ToString"/> always gives back the text that was parsed.
/// </remarks>
public readonly partial record struct IsoPeriod(int Years, int Months, int Days)
{
    public int Years { get; init => field = NonNegative(value, nameof(Years)); } = NonNegative(Years, nameof(Years));

    public int Months { get; init => field = NonNegative(value, nameof(Months)); } = NonNegative(Months, nameof(Months));

    public int Days { get; init => field = NonNegative(value, nameof(Days)); } = NonNegative(Days, nameof(Days));

    /// <summary>True for <c>P0D</c>, a period that ends where it starts.</summary>
    public bool IsZero => Years == 0 && Months == 0 && Days == 0;

    /// <summary>Parses an ISO 8601 date duration such as <c>P1Y6M</c>.</summary>
    /// <exception cref="FormatException">The text is not a duration of years, months and/or days.</exception>
    public static IsoPeriod Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TryParse(text, out var period)
            ? period
            : throw new FormatException(
                "Expected an ISO 8601 date duration such as P10Y, P6M, P30D or P1Y6M (years, months and days only, no time part).");
    }

    /// <summary>Parses an ISO 8601 date duration; false for null, garbage, time parts, weeks, signs or overflow.</summary>
    public static bool TryParse(string? text, out IsoPeriod period)
    {
        period = default;
        if (text is null)
        {
            return false;
        }

        var match = PeriodPattern().Match(text);
        if (!match.Success || match.Length == 1)
        {
            return false;
        }

        if (!TryPart(match.Groups["y"], out var years)
            || !TryPart(match.Groups["m"], out var months)
            || !TryPart(match.Groups["d"], out var days))
        {
            return false;
        }

        period = new IsoPeriod(years, months, days);
        return true;
    }

    /// <summary>
    /// The instant one period after <paramref name="instant"/>: years first, then months, then days, each
    /// clamping to the end of a shorter month as <see cref="DateTimeOffset.AddMonths"/> does
    /// (2024-01-31 + P1M = 2024-02-29). The offset is kept.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The result is beyond year 9999.</exception>
    public DateTimeOffset AddTo(DateTimeOffset instant) =>
        instant.AddYears(Years).AddMonths(Months).AddDays(Days);

    /// <summary>The canonical ISO 8601 form: zero parts left out, <c>P0D</c> for the zero period.</summary>
    public override string ToString()
    {
        if (IsZero)
        {
            return "P0D";
        }

        var text = new StringBuilder("P");
        if (Years != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Years}Y");
        }

        if (Months != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Months}M");
        }

        if (Days != 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{Days}D");
        }

        return text.ToString();
    }

    private static bool TryPart(Group group, out int value)
    {
        value = 0;
        return !group.Success
            || int.TryParse(group.ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static int NonNegative(int value, string name) =>
        value >= 0 ? value : throw new ArgumentOutOfRangeException(name, value, "A period part cannot be negative.");

    // [0-9] rather than \d, which also matches Arabic-Indic and other Unicode digits; \z rather than $, which
    // also matches before a final line break.
    [GeneratedRegex(@"^P(?:(?<y>[0-9]{1,10})Y)?(?:(?<m>[0-9]{1,10})M)?(?:(?<d>[0-9]{1,10})D)?\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex PeriodPattern();
}
