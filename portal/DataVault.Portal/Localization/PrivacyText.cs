namespace DataVault.Portal.Localization;

/// <summary>Texts of the privacy notice (<c>/privacy</c>): who the controller is, what data is used for, the customer's rights.</summary>
internal sealed class PrivacyText;
