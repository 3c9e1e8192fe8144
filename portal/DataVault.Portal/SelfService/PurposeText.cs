using DataVault.Policies.Decisions;

namespace DataVault.Portal.SelfService;

/// <summary>A purpose's lawful basis and consent states in plain words of the page's language.</summary>
internal static class PurposeText
{
    public static string LawfulBasis(LawfulBasis basis, IStringLocalizer<MyConsentsText> T) => basis switch
    {
        Policies.LawfulBasis.Consent => T["Your consent"],
        Policies.LawfulBasis.Contract => T["Our contract with you"],
        Policies.LawfulBasis.LegalObligation => T["A legal obligation"],
        Policies.LawfulBasis.VitalInterests => T["Protecting someone's life"],
        Policies.LawfulBasis.PublicTask => T["A task in the public interest"],
        _ => T["Our legitimate interests"],
    };

    public static string State(EffectiveConsent state, IStringLocalizer<MyConsentsText> T) => state switch
    {
        EffectiveConsent.Given => T["Given"],
        EffectiveConsent.Refused => T["Refused"],
        EffectiveConsent.Withdrawn => T["Withdrawn"],
        EffectiveConsent.Expired => T["Expired"],
        EffectiveConsent.OutdatedVersion => T["Asked again: the purpose has changed since you consented"],
        _ => T["Never asked"],
    };

    public static string EventState(ConsentState state, IStringLocalizer<MyConsentsText> T) => state switch
    {
        ConsentState.Given => T["Given"],
        ConsentState.Refused => T["Refused"],
        ConsentState.Withdrawn => T["Withdrawn"],
        _ => T["Expired"],
    };

    public static string Method(string collectionMethod, IStringLocalizer<MyConsentsText> T) => collectionMethod switch
    {
        "portal" => T["In this privacy portal"],
        "import" => T["Imported from an earlier system"],
        _ => T["Through one of our services"],
    };
}
