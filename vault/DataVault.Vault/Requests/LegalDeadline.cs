namespace DataVault.Vault.Requests;

/// <summary>Whether an open request needs attention on a given day.</summary>
internal enum DeadlineStatus
{
    /// <summary>More than <see cref="RequestsOptions.DueSoonDays"/> days are left.</summary>
    OnTrack,

    /// <summary>The due date is at most <see cref="RequestsOptions.DueSoonDays"/> days away (or today).</summary>
    DueSoon,

    /// <summary>The due date has passed.</summary>
    Overdue,
}

/// <summary>Whether the period to answer a request may be extended.</summary>
internal enum ExtensionCheck
{
    Allowed,

    /// <summary>GDPR Art. 12(3): the subject must be told of an extension "within one month of receipt"; that month is over.</summary>
    AfterFirstDueDate,

    /// <summary>GDPR Art. 12(3) allows "two further months" in all.</summary>
    BeyondTwoMonths,
}

/// <summary>
/// The deadline to answer a data-subject request, GDPR Art. 12(3): "without undue delay and in any event within
/// one month of receipt of the request", which "may be extended by two further months". Pure date arithmetic on
/// local calendar dates (<see cref="DateOnly"/>); the caller supplies "today" and the controller's time zone.
/// </summary>
/// <remarks>
/// <para>
/// The EU counts periods by Regulation (EEC, Euratom) No 1182/71:
/// Art. 3(1): the day of receipt is not counted, so the month starts at 00:00 the next day;
/// Art. 3(2)(c): a month ends at the end of the day with the same date in the next month, or at the end of that
/// month when it has no such date (31 January → 28 or 29 February), which is what <see cref="DateOnly.AddMonths"/> does;
/// Art. 3(4): a period ending on a public holiday, Saturday or Sunday ends at the end of the next working day.
/// Art. 3(5) (at least two working days) never binds a period of a month.
/// </para>
/// <para>
/// CJEU C-171/03 <i>Toeters and Verberk</i> (ECLI:EU:C:2004:714, paras 33 and 36) finds the end day by reference to
/// the day of the event, and the EDPB Guidelines 01/2022 on the right of access (section 5.3) apply it: a request
/// received on 5 March is answered by 5 April. The "day after receipt" method used elsewhere would give 6 April.
/// </para>
/// </remarks>
internal sealed class LegalDeadline
{
    /// <summary>GDPR Art. 12(3): "two further months".</summary>
    public const int MaxExtensionMonths = 2;

    private readonly HolidayCalendar holidays;
    private readonly int dueSoonDays;

    /// <param name="options">Validated options (<see cref="RequestsOptionsValidator"/>).</param>
    public LegalDeadline(RequestsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.DueSoonDays, nameof(options));
        holidays = new HolidayCalendar(options.Holidays, options.AnnualHolidays);
        dueSoonDays = options.DueSoonDays;
    }

    /// <summary>
    /// The calendar date of <paramref name="instant"/> where the controller is: receipt, pauses and "today" are
    /// counted in the controller's days, so a request received at 00:30 in Tallinn counts from that Tallinn date.
    /// </summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(timeZone);
        return DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, timeZone).DateTime);
    }

    /// <summary>Calendar days the clock was paused while identity was checked: from the day it began to the day it ended.</summary>
    public static int PausedDays(DateOnly pausedSince, DateOnly resumedOn)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resumedOn, pausedSince);
        return resumedOn.DayNumber - pausedSince.DayNumber;
    }

    /// <summary>
    /// The last day to answer a request received on <paramref name="received"/> (a local date): one month, plus
    /// <paramref name="extensionMonths"/>, plus the days paused, moved forward to a working day.
    /// </summary>
    /// <param name="received">The local date of receipt (<see cref="LocalDate"/>).</param>
    /// <param name="extensionMonths">0 to 2. An extended period is one period of 1 + n months from receipt, not the first due date plus n months: 31 January extended by two gives 30 April, not 28 April.</param>
    /// <param name="pausedDays">Calendar days paused (<see cref="PausedDays"/>), added before the working-day rule.</param>
    public DateOnly Due(DateOnly received, int extensionMonths = 0, int pausedDays = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(extensionMonths);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(extensionMonths, MaxExtensionMonths);
        ArgumentOutOfRangeException.ThrowIfNegative(pausedDays);

        // Regulation 1182/71 Art. 3(1) and 3(2)(c): the same date in the last month, clamped to its end.
        var due = received.AddMonths(1 + extensionMonths).AddDays(pausedDays);

        // Art. 3(4): a period ending on a holiday, Saturday or Sunday ends with the next working day.
        while (!holidays.IsWorkingDay(due))
        {
            due = due.AddDays(1);
        }

        return due;
    }

    /// <summary>
    /// Whether <paramref name="requestedMonths"/> more may be added on <paramref name="today"/>. The notice of an
    /// extension must reach the subject "within one month of receipt" (Art. 12(3)), so only until the first due
    /// date (the one-month period, pauses included), and never beyond two months in all.
    /// </summary>
    public static ExtensionCheck CheckExtension(DateOnly today, DateOnly firstDueDate, int currentMonths, int requestedMonths)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(currentMonths);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(requestedMonths);
        if (today > firstDueDate)
        {
            return ExtensionCheck.AfterFirstDueDate;
        }

        return currentMonths + requestedMonths > MaxExtensionMonths ? ExtensionCheck.BeyondTwoMonths : ExtensionCheck.Allowed;
    }

    /// <summary>
    /// Overdue once <paramref name="today"/> is after the due date (the period ends with the last hour of the due
    /// date, Art. 3(2)(c)); due soon when at most <see cref="RequestsOptions.DueSoonDays"/> days remain.
    /// </summary>
    public DeadlineStatus StatusOn(DateOnly today, DateOnly dueDate)
    {
        var daysLeft = dueDate.DayNumber - today.DayNumber;
        return daysLeft < 0 ? DeadlineStatus.Overdue
            : daysLeft <= dueSoonDays ? DeadlineStatus.DueSoon
            : DeadlineStatus.OnTrack;
    }
}
