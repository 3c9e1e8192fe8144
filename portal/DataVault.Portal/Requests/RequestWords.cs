using DataVault.Vault.Requests;

namespace DataVault.Portal.Requests;

/// <summary>The codes of a request (its type, status, channel, refusal reason, history entries) in words of the page's language; an unknown code stays as it is.</summary>
internal static class RequestWords
{
    public static string Type(string code, IStringLocalizer<RequestText> text) => code switch
    {
        RequestTypes.Access => text["Access to the data (Art. 15)"],
        RequestTypes.Portability => text["Portable copy of the data (Art. 20)"],
        RequestTypes.Rectification => text["Correction of data (Art. 16)"],
        RequestTypes.Erasure => text["Erasure (Art. 17)"],
        RequestTypes.Restriction => text["Restriction of processing (Art. 18)"],
        RequestTypes.Objection => text["Objection to processing (Art. 21)"],
        RequestTypes.ConsentWithdrawal => text["Withdrawal of consent (Art. 7(3))"],
        _ => code,
    };

    public static string Status(string code, IStringLocalizer<RequestText> text) => code switch
    {
        RequestStatuses.Received => text["Received"],
        RequestStatuses.IdentityCheck => text["Checking identity"],
        RequestStatuses.InProgress => text["In progress"],
        RequestStatuses.Completed => text["Completed"],
        RequestStatuses.Refused => text["Refused"],
        RequestStatuses.Withdrawn => text["Withdrawn"],
        _ => code,
    };

    public static string Channel(string code, IStringLocalizer<RequestText> text) => code switch
    {
        RequestChannels.Portal => text["Privacy portal"],
        RequestChannels.Api => text["Another system"],
        RequestChannels.Email => text["E-mail"],
        RequestChannels.Phone => text["Phone"],
        RequestChannels.Letter => text["Letter"],
        RequestChannels.InPerson => text["In person"],
        _ => code,
    };

    public static string Refusal(string code, IStringLocalizer<RequestText> text) => code switch
    {
        RefusalReasons.ManifestlyUnfounded => text["Manifestly unfounded (Art. 12(5)(b))"],
        RefusalReasons.Excessive => text["Excessive, in particular repetitive (Art. 12(5)(b))"],
        RefusalReasons.IdentityNotVerified => text["Identity could not be established (Art. 11(2), 12(6))"],
        RefusalReasons.RightsOfOthers => text["Would affect the rights of others (Art. 15(4))"],
        RefusalReasons.PortabilityNotApplicable => text["Portability does not apply (Art. 20(1))"],
        RefusalReasons.LegalObligation => text["Needed for a legal obligation (Art. 17(3)(b))"],
        RefusalReasons.LegalClaims => text["Needed for legal claims (Art. 17(3)(e))"],
        RefusalReasons.CompellingLegitimateGrounds => text["Compelling legitimate grounds (Art. 21(1))"],
        RefusalReasons.Other => text["Other reason"],
        _ => code,
    };

    public static string Event(string kind, IStringLocalizer<RequestText> text) => kind switch
    {
        RequestEventKinds.Received => text["Received"],
        RequestEventKinds.Status => text["Moved to another step"],
        RequestEventKinds.Paused => text["Clock paused for the identity check"],
        RequestEventKinds.Resumed => text["Clock running again"],
        RequestEventKinds.Note => text["Note"],
        RequestEventKinds.Extended => text["Period extended"],
        RequestEventKinds.Refused => text["Refused"],
        RequestEventKinds.Completed => text["Completed"],
        RequestEventKinds.Withdrawn => text["Withdrawn"],
        RequestEventKinds.IdentityChallenge => text["Identity code sent"],
        RequestEventKinds.IdentityVerified => text["Identity established"],
        RequestEventKinds.Notice => text["Notice sent to the requester"],
        RequestEventKinds.Assigned => text["Assigned"],
        _ => kind,
    };
}
