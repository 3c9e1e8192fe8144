namespace DataVault.Policies;

/// <summary>GDPR Art. 6(1) lawful bases, (a) to (f).</summary>
public enum LawfulBasis
{
    /// <summary>Art. 6(1)(a).</summary>
    Consent,
    /// <summary>Art. 6(1)(b).</summary>
    Contract,
    /// <summary>Art. 6(1)(c).</summary>
    LegalObligation,
    /// <summary>Art. 6(1)(d).</summary>
    VitalInterests,
    /// <summary>Art. 6(1)(e).</summary>
    PublicTask,
    /// <summary>Art. 6(1)(f).</summary>
    LegitimateInterests,
}

/// <summary>Localized title and description of a purpose, shown on consent notices.</summary>
public sealed record LocalizedText(string Title, string Description);

/// <summary>A processing purpose: which fields it may use, on which lawful basis, for how long.</summary>
/// <param name="Id">kebab-case identifier, e.g. <c>marketing-email</c>.</param>
/// <param name="LawfulBasis">GDPR Art. 6(1) basis.</param>
/// <param name="Fields">Names of catalogue fields the purpose may use.</param>
/// <param name="Retention">How long data is kept for this purpose.</param>
/// <param name="GpcObjection">True when the purpose is a sale or sharing of data, so a Global Privacy Control signal means objection.</param>
/// <param name="Text">Title and description per language; <c>en</c> is always present.</param>
/// <param name="Version">Hex SHA-256 (first 16 hex digits) of the purpose's canonical definition: any change makes a new version.</param>
/// <param name="DirectMarketing">
/// True when the purpose is direct marketing (GDPR Art. 21(2)–(3)): the subject may object to it at any time, and an
/// objection to it is final for integrating systems, which cannot lift it. Not part of <paramref name="Version"/>: it
/// changes nothing the subject was told or agreed to, only makes their objection stronger.
/// </param>
public sealed record PurposeDefinition(
    string Id,
    LawfulBasis LawfulBasis,
    IReadOnlyList<string> Fields,
    IsoPeriod Retention,
    bool GpcObjection,
    IReadOnlyDictionary<string, LocalizedText> Text,
    string Version,
    bool DirectMarketing = false);
