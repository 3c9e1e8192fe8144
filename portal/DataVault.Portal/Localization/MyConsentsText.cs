namespace DataVault.Portal.Localization;

/// <summary>Texts of the customer's "My consents" page: lawful bases, states, retention periods and the consent history.</summary>
internal sealed class MyConsentsText;
