using Microsoft.Extensions.Options;

namespace DataVault.Vault.Requests;

/// <summary>
/// Refuses a holiday list the deadline arithmetic cannot use, naming the entry: a date in another format
/// would otherwise be ignored silently, and a due date would then fall on a holiday the controller does not work.
/// </summary>
internal sealed class RequestsOptionsValidator : IValidateOptions<RequestsOptions>
{
    public ValidateOptionsResult Validate(string? name, RequestsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var errors = new List<string>();
        for (var i = 0; i < options.Holidays.Count; i++)
        {
            if (!HolidayCalendar.TryParseDate(options.Holidays[i], out _))
            {
                errors.Add($"Requests:Holidays:{i} '{options.Holidays[i]}' is not a date in the form yyyy-MM-dd, e.g. 2026-04-06.");
            }
        }

        var annual = new HashSet<(int, int)>();
        for (var i = 0; i < options.AnnualHolidays.Count; i++)
        {
            if (HolidayCalendar.TryParseAnnual(options.AnnualHolidays[i], out var day))
            {
                annual.Add(day);
            }
            else
            {
                errors.Add($"Requests:AnnualHolidays:{i} '{options.AnnualHolidays[i]}' is not a day of the year in the form MM-dd, e.g. 12-25.");
            }
        }

        if (annual.Count >= HolidayCalendar.DaysOfYear)
        {
            errors.Add("Requests:AnnualHolidays lists every day of the year, so no deadline could ever end on a working day.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
