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

    /// <summary>A kind of identity document (<see cref="Vault.Accounts.IdentityEvidence"/>).</summary>
    public static string Evidence(string kind, IStringLocalizer<DeskText> text) => kind switch
    {
        Vault.Accounts.IdentityEvidence.Passport => text["Passport"],
        Vault.Accounts.IdentityEvidence.NationalIdCard => text["National identity card"],
        Vault.Accounts.IdentityEvidence.DrivingLicence => text["Driving licence"],
        Vault.Accounts.IdentityEvidence.ResidencePermit => text["Residence permit"],
        _ => kind,
    };
}
