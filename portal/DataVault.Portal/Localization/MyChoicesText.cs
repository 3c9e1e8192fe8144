namespace DataVault.Portal.Localization;

/// <summary>Texts of the customer's "Restrict or object" page and of the Global Privacy Control notice.</summary>
internal sealed class MyChoicesText;
