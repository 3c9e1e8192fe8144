namespace DataVault.Portal.Localization;

/// <summary>Texts of the signed-in landing page (the account and the customer's links to their pages).</summary>
internal sealed class HomeText;
