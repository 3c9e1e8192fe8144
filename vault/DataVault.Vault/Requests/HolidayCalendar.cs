using System.Collections.Frozen;
using System.Globalization;

namespace DataVault.Vault.Requests;

/// <summary>
/// Which days are working days for the deadlines of data-subject requests. Regulation (EEC, Euratom)
/// No 1182/71 Art. 2(2): working days are all days other than public holidays, Sundays and Saturdays; the
/// public holidays are those of the controller's Member State (Art. 2(1)), configured in
/// <see cref="RequestsOptions.Holidays"/> and <see cref="RequestsOptions.AnnualHolidays"/>.
/// </summary>
internal sealed class HolidayCalendar
{
    /// <summary>Days a year can have, counting 29 February.</summary>
    public const int DaysOfYear = 366;

    private readonly FrozenSet<DateOnly> dates;
    private readonly FrozenSet<(int Month, int Day)> annual;

    /// <exception cref="FormatException">An entry is not a date (<c>yyyy-MM-dd</c>) or day of the year (<c>MM-dd</c>); <see cref="RequestsOptionsValidator"/> refuses such options at start.</exception>
    /// <exception cref="ArgumentException">The annual holidays cover every day of the year, so no day would be a working day.</exception>
    public HolidayCalendar(IEnumerable<string> holidays, IEnumerable<string> annualHolidays)
    {
        ArgumentNullException.ThrowIfNull(holidays);
        ArgumentNullException.ThrowIfNull(annualHolidays);
        dates = holidays
            .Select(text => TryParseDate(text, out var date) ? date : throw new FormatException($"'{text}' is not a date in the form yyyy-MM-dd."))
            .ToFrozenSet();
        annual = annualHolidays
            .Select(text => TryParseAnnual(text, out var day) ? day : throw new FormatException($"'{text}' is not a day of the year in the form MM-dd."))
            .ToFrozenSet();

        // Without a working day, rolling a deadline forward would never end.
        if (annual.Count >= DaysOfYear)
        {
            throw new ArgumentException("The annual holidays cover every day of the year.", nameof(annualHolidays));
        }
    }

    /// <summary>Saturdays and Sundays only.</summary>
    public static HolidayCalendar WeekendsOnly { get; } = new([], []);

    /// <summary>Not a Saturday, a Sunday or a configured public holiday (Regulation 1182/71 Art. 2(2)).</summary>
    public bool IsWorkingDay(DateOnly day) =>
        day.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday)
        && !dates.Contains(day)
        && !annual.Contains((day.Month, day.Day));

    /// <summary>An ISO 8601 calendar date, <c>yyyy-MM-dd</c> exactly.</summary>
    public static bool TryParseDate(string? text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);

    /// <summary>A day of the year, <c>MM-dd</c> exactly; <c>02-29</c> is allowed and then applies in leap years only.</summary>
    public static bool TryParseAnnual(string? text, out (int Month, int Day) day)
    {
        day = default;
        // Parsed within leap year 2000 so that 02-29 is a valid day of the year.
        if (text is not { Length: 5 } || !DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            return false;
        }

        day = (date.Month, date.Day);
        return true;
    }
}
