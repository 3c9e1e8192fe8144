using System.Globalization;
using DataVault.Vault.Requests;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Tests;

public sealed class LegalDeadlineTests
{
    /// <summary>
    /// GDPR Art. 12(3) counted by Regulation (EEC, Euratom) No 1182/71. Holidays are configured only where a row
    /// says so; the weekday of the due date is part of the row so a typo in the table cannot pass unnoticed.
    /// Rows 19 and 20 give the instant of receipt and the controller's time zone instead of a local date.
    /// </summary>
    public static TheoryData<int, string, string, int, int, string, string, string> Table => new()
    {
        // row, received (local date, or instant@zone), weekday received, extension months, paused days, holidays, due, weekday due
        { 1, "2027-03-05", "Fri", 0, 0, "", "2027-04-05", "Mon" },      // the EDPB example: 5 March → 5 April
        { 2, "2026-03-05", "Thu", 0, 0, "", "2026-04-06", "Mon" },      // nominal Sun 5 April
        { 3, "2026-03-05", "Thu", 0, 0, "2026-04-06", "2026-04-07", "Tue" }, // and Easter Monday
        { 4, "2026-01-31", "Sat", 0, 0, "", "2026-03-02", "Mon" },      // clamped to Sat 28 Feb
        { 5, "2028-01-31", "Mon", 0, 0, "", "2028-02-29", "Tue" },      // leap year, clamped
        { 6, "2028-01-29", "Sat", 0, 0, "", "2028-02-29", "Tue" },
        { 7, "2027-01-30", "Sat", 0, 0, "", "2027-03-01", "Mon" },      // clamped to Sun 28 Feb
        { 8, "2026-03-31", "Tue", 0, 0, "", "2026-04-30", "Thu" },      // clamped
        { 9, "2026-12-31", "Thu", 0, 0, "", "2027-02-01", "Mon" },      // nominal Sun 31 Jan, across the year
        { 10, "2026-11-25", "Wed", 0, 0, "12-25,12-26", "2026-12-28", "Mon" }, // Christmas Friday, Boxing Day Saturday
        { 11, "2026-04-01", "Wed", 0, 0, "05-01", "2026-05-04", "Mon" },
        { 12, "2028-02-29", "Tue", 0, 0, "", "2028-03-29", "Wed" },
        { 13, "2026-01-31", "Sat", 2, 0, "", "2026-04-30", "Thu" },     // one three-month period: not 28 Feb + 2 months
        { 14, "2028-01-31", "Mon", 2, 0, "05-01", "2028-05-02", "Tue" }, // nominal Sun 30 April, then 1 May
        { 15, "2027-11-30", "Tue", 2, 0, "", "2028-02-29", "Tue" },     // leap, clamped
        { 16, "2026-03-02", "Mon", 0, 7, "", "2026-04-09", "Thu" },     // paused 03-03 → 03-10
        { 17, "2026-03-05", "Thu", 0, 3, "", "2026-04-08", "Wed" },     // Sun 5 April + 3
        { 18, "2026-03-02", "Mon", 2, 7, "", "2026-06-09", "Tue" },
        { 19, "2026-04-29T22:30:00Z@Europe/Tallinn", "Thu", 0, 0, "", "2026-06-01", "Mon" }, // local 30 April; nominal Sat 30 May
        { 20, "2026-04-29T22:30:00Z@UTC", "Wed", 0, 0, "", "2026-05-29", "Fri" },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Due_TableCases_MatchRegulation1182_71(
        int row, string received, string receivedWeekday, int extensionMonths, int pausedDays, string holidays, string due, string dueWeekday)
    {
        var receivedDate = ReceivedDate(received);
        Assert.True(Weekday(receivedDate) == receivedWeekday, $"row {row}: the table's received weekday is wrong");
        var deadline = new LegalDeadline(OptionsWith(holidays));

        var actual = deadline.Due(receivedDate, extensionMonths, pausedDays);

        Assert.True(Date(due) == actual, $"row {row}: expected {due}, got {actual:yyyy-MM-dd}");
        Assert.Equal(dueWeekday, Weekday(actual));
    }

    [Fact]
    public void Due_Table_HasEveryRowOfTheDesign() =>
        Assert.Equal(Enumerable.Range(1, 20), Table.Select(row => (int)row[0]));

    [Fact]
    public void PausedDays_Row16Pause_SevenCalendarDays() =>
        Assert.Equal(7, LegalDeadline.PausedDays(Date("2026-03-03"), Date("2026-03-10")));

    [Fact]
    public void PausedDays_ResumedBeforePaused_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => LegalDeadline.PausedDays(Date("2026-03-10"), Date("2026-03-03")));

    [Fact]
    public void CheckExtension_Row2OnTheDayAfterFirstDueDate_Refused()
    {
        var deadline = new LegalDeadline(new RequestsOptions());
        var firstDue = deadline.Due(Date("2026-03-05"));

        Assert.Equal(ExtensionCheck.Allowed, LegalDeadline.CheckExtension(Date("2026-04-06"), firstDue, currentMonths: 0, requestedMonths: 2));
        Assert.Equal(ExtensionCheck.AfterFirstDueDate, LegalDeadline.CheckExtension(Date("2026-04-07"), firstDue, currentMonths: 0, requestedMonths: 1));
    }

    [Theory]
    [InlineData(0, 1, "Allowed")]
    [InlineData(0, 2, "Allowed")]
    [InlineData(1, 1, "Allowed")]
    [InlineData(1, 2, "BeyondTwoMonths")]
    [InlineData(2, 1, "BeyondTwoMonths")]
    [InlineData(0, 3, "BeyondTwoMonths")]
    public void CheckExtension_MonthsInAll_AtMostTwo(int currentMonths, int requestedMonths, string expected) =>
        Assert.Equal(Enum.Parse<ExtensionCheck>(expected), LegalDeadline.CheckExtension(Date("2026-03-10"), Date("2026-04-06"), currentMonths, requestedMonths));

    [Theory]
    [InlineData("2026-04-14", "OnTrack")]   // 8 days left
    [InlineData("2026-04-15", "DueSoon")]   // 7 days left
    [InlineData("2026-04-22", "DueSoon")]   // the due date itself: the period ends with its last hour
    [InlineData("2026-04-23", "Overdue")]   // the day after
    public void StatusOn_DaysLeft_DueSoonAtSevenOverdueTheDayAfter(string today, string expected)
    {
        var deadline = new LegalDeadline(new RequestsOptions());

        Assert.Equal(Enum.Parse<DeadlineStatus>(expected), deadline.StatusOn(Date(today), Date("2026-04-22")));
    }

    [Fact]
    public void StatusOn_DueSoonDaysConfigured_Used()
    {
        var options = new RequestsOptions { DueSoonDays = 3 };

        Assert.Equal(DeadlineStatus.OnTrack, new LegalDeadline(options).StatusOn(Date("2026-04-18"), Date("2026-04-22")));
        Assert.Equal(DeadlineStatus.DueSoon, new LegalDeadline(options).StatusOn(Date("2026-04-19"), Date("2026-04-22")));
    }

    [Theory]
    [InlineData(3, 0)]
    [InlineData(-1, 0)]
    [InlineData(0, -1)]
    public void Due_ExtensionOrPauseOutOfRange_Throws(int extensionMonths, int pausedDays) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LegalDeadline(new RequestsOptions()).Due(Date("2026-03-05"), extensionMonths, pausedDays));

    [Fact]
    public void Due_AnnualHolidayOn29February_OnlyInLeapYears()
    {
        var deadline = new LegalDeadline(OptionsWith("02-29"));

        Assert.Equal(Date("2028-03-01"), deadline.Due(Date("2028-01-29")));   // Tue 29 Feb 2028 is the holiday
        Assert.Equal(Date("2027-03-01"), deadline.Due(Date("2027-01-29")));   // Sat 27 Feb → Mon 1 Mar, no 29 Feb
    }

    [Fact]
    public void Due_ConsecutiveHolidaysAfterWeekend_RollsOverAll()
    {
        // Nominal Sat 2026-04-04, then Sun, then Easter Monday and a Tuesday holiday.
        var deadline = new LegalDeadline(OptionsWith("2026-04-06,2026-04-07"));

        Assert.Equal(Date("2026-04-08"), deadline.Due(Date("2026-03-04")));
    }

    [Fact]
    public void LocalDate_InstantNearMidnight_DateOfTheControllersZone()
    {
        var instant = DateTimeOffset.Parse("2026-04-29T22:30:00Z", CultureInfo.InvariantCulture);

        Assert.Equal(Date("2026-04-30"), LegalDeadline.LocalDate(instant, TimeZoneInfo.FindSystemTimeZoneById("Europe/Tallinn")));
        Assert.Equal(Date("2026-04-29"), LegalDeadline.LocalDate(instant, TimeZoneInfo.Utc));
        Assert.Equal(Date("2026-04-29"), LegalDeadline.LocalDate(instant, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
    }

    [Fact]
    public void AddRequests_ConfiguredHolidays_BoundAndUsed()
    {
        using var services = Services(new()
        {
            ["Requests:Holidays:0"] = "2026-04-06",
            ["Requests:AnnualHolidays:0"] = "12-25",
            ["Requests:AnnualHolidays:1"] = "12-26",
            ["Requests:DueSoonDays"] = "5",
        });

        var deadline = services.GetRequiredService<LegalDeadline>();

        Assert.Equal(Date("2026-04-07"), deadline.Due(Date("2026-03-05")));
        Assert.Equal(Date("2026-12-28"), deadline.Due(Date("2026-11-25")));
        Assert.Equal(DeadlineStatus.OnTrack, deadline.StatusOn(Date("2026-12-22"), Date("2026-12-28")));
    }

    [Theory]
    [InlineData("Requests:Holidays:0", "06/04/2026", "Requests:Holidays:0 '06/04/2026'")]
    [InlineData("Requests:Holidays:0", "2026-02-30", "Requests:Holidays:0 '2026-02-30'")]
    [InlineData("Requests:AnnualHolidays:0", "25-12", "Requests:AnnualHolidays:0 '25-12'")]
    [InlineData("Requests:AnnualHolidays:0", "2026-12-25", "Requests:AnnualHolidays:0 '2026-12-25'")]
    [InlineData("Requests:DueSoonDays", "40", "DueSoonDays")]
    public void AddRequests_BadSetting_RefusedAtStartNamingIt(string key, string value, string named)
    {
        using var services = Services(new() { [key] = value });

        var refused = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_EveryDayOfTheYearAHoliday_Refused()
    {
        var options = new RequestsOptions();
        for (var day = new DateOnly(2000, 1, 1); day.Year == 2000; day = day.AddDays(1))
        {
            options.AnnualHolidays.Add(day.ToString("MM-dd", CultureInfo.InvariantCulture));
        }

        var result = new RequestsOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Throws<ArgumentException>(() => new LegalDeadline(options));
    }

    [Fact]
    public void Validate_Defaults_Succeed() =>
        Assert.True(new RequestsOptionsValidator().Validate(null, new RequestsOptions()).Succeeded);

    private static ServiceProvider Services(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddRequests(configuration).BuildServiceProvider();
    }

    private static RequestsOptions OptionsWith(string holidays)
    {
        var options = new RequestsOptions();
        foreach (var entry in holidays.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            (entry.Length == 5 ? options.AnnualHolidays : options.Holidays).Add(entry);
        }

        return options;
    }

    private static DateOnly ReceivedDate(string received)
    {
        var at = received.IndexOf('@', StringComparison.Ordinal);
        if (at < 0)
        {
            return Date(received);
        }

        var instant = DateTimeOffset.Parse(received[..at], CultureInfo.InvariantCulture);
        return LegalDeadline.LocalDate(instant, TimeZoneInfo.FindSystemTimeZoneById(received[(at + 1)..]));
    }

    private static DateOnly Date(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Weekday(DateOnly date) => date.DayOfWeek.ToString()[..3];
}
