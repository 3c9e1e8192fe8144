using System.Globalization;
using System.Reflection;
using DataVault.Portal.Localization;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The filters of the desk's audit search, bound from the query string: those of <c>GET /api/v1/audit</c>
/// (subject, actor, purpose, action, time range, page size, cursor) and the outcome. Times are UTC.
/// </summary>
internal sealed class AuditFilter
{
    public const int DefaultLimit = 50;

    public static readonly IReadOnlyList<int> Limits = [25, 50, 100, 500];

    /// <summary>Every action code, for the action filter.</summary>
    public static readonly IReadOnlyList<string> Actions = Codes(typeof(AuditActions));

    /// <summary>Every outcome code, for the outcome filter.</summary>
    public static readonly IReadOnlyList<string> Outcomes = Codes(typeof(AuditOutcomes));

    [FromQuery(Name = "subject")]
    public string? Subject { get; set; }

    [FromQuery(Name = "actor")]
    public string? Actor { get; set; }

    [FromQuery(Name = "purpose")]
    public string? Purpose { get; set; }

    [FromQuery(Name = "action")]
    public string? Action { get; set; }

    [FromQuery(Name = "outcome")]
    public string? Outcome { get; set; }

    [FromQuery(Name = "from")]
    public string? From { get; set; }

    [FromQuery(Name = "to")]
    public string? To { get; set; }

    [FromQuery(Name = "limit")]
    public int? Limit { get; set; }

    [FromQuery(Name = "before")]
    public long? Before { get; set; }

    public int PageSize => Limit is { } limit && Limits.Contains(limit) ? limit : DefaultLimit;

    /// <summary>
    /// The query, or null with the problems added to <paramref name="errors"/> under the field names. A staff
    /// account's e-mail address typed as the actor is searched by the account's id, which is what entries name.
    /// </summary>
    public AuditQuery? ToQuery(ModelStateDictionary errors, IStringLocalizer<DeskText> text, DeskNames names)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(errors);
        var from = Time(From, "from", errors, text);
        var to = Time(To, "to", errors, text);
        if (from is not null && to is not null && from >= to)
        {
            errors.AddModelError("to", text["Must be after the start of the period."]);
        }

        if (Action is { Length: > 0 } action && !Actions.Contains(action))
        {
            errors.AddModelError("action", text["Is not an action the audit trail records."]);
        }

        if (Outcome is { Length: > 0 } outcome && !Outcomes.Contains(outcome))
        {
            errors.AddModelError("outcome", text["Is not an outcome the audit trail records."]);
        }

        if (Before is < 1)
        {
            errors.AddModelError("before", text["Is not a position in the audit trail."]);
        }

        return errors.ErrorCount > 0
            ? null
            : new AuditQuery(Blank(Subject), Blank(Actor) is { } actor ? names.StaffIdOf(actor) ?? actor : null, Blank(Purpose), Blank(Action), from, to, Before, Blank(Outcome));
    }

    /// <summary>The query string of these filters, without the cursor unless <paramref name="before"/> is given.</summary>
    public Dictionary<string, string?> RouteValues(long? before = null) => new(StringComparer.Ordinal)
    {
        ["subject"] = Blank(Subject),
        ["actor"] = Blank(Actor),
        ["purpose"] = Blank(Purpose),
        ["action"] = Blank(Action),
        ["outcome"] = Blank(Outcome),
        ["from"] = Blank(From),
        ["to"] = Blank(To),
        ["limit"] = Limit is null ? null : PageSize.ToString(CultureInfo.InvariantCulture),
        ["before"] = before?.ToString(CultureInfo.InvariantCulture),
    };

    private static DateTimeOffset? Time(string? value, string key, ModelStateDictionary errors, IStringLocalizer<DeskText> text)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time))
        {
            return time;
        }

        errors.AddModelError(key, text["Enter a date and time such as 2025-01-31T14:30."]);
        return null;
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static List<string> Codes(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Order(StringComparer.Ordinal)
            .ToList();
}
