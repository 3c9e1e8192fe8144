using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Consents;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.SelfService;

/// <summary>One restriction or objection recorded or lifted, as a history table shows it.</summary>
internal sealed record ChoiceHistoryLine(DateTimeOffset At, string What, string Change, string By, string? Reason);

/// <summary>
/// What a restriction or objection event was about and whether it recorded or lifted the choice, in the request's
/// language: the same words in the customer's history and the officer's. Who did it is worded for each reader by
/// the page (the customer sees "you" and "our compliance officer", the officer sees ids).
/// </summary>
internal static class ChoiceHistoryText
{
    public static ChoiceHistoryLine Line(ChoiceEventView e, string by, string? reason, PolicyCatalogue catalogue, IStringLocalizer<SharedText> T)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(T);
        var what = e.Kind == ChoiceKind.Restriction ? T["Restriction of processing"]
            : e.PurposeId is { } purpose ? T["Objection to {0}", catalogue.PurposeTitle(purpose)]
            : T["Objection to all processing"];
        return new ChoiceHistoryLine(e.OccurredAt, what, e.IsLift ? T["Lifted"] : T["Recorded"], by, reason);
    }
}
