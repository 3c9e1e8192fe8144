namespace DataVault.Portal.Localization;

/// <summary>Texts of the consent page, where an agent lets a system (a CRM) act for them.</summary>
internal sealed class ConsentText;
