namespace DataVault.Portal.Localization;

/// <summary>Texts of the customer's access log ("Who used my data").</summary>
internal sealed class AccessLogText;
