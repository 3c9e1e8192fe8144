namespace DataVault.Portal.Localization;

/// <summary>Texts of the customer's "My data" page (fields, categories, rectification and its validation messages).</summary>
internal sealed class MyDataText;
