namespace DataVault.Portal.Localization;

/// <summary>
/// Texts of data-subject requests, on the officer's desk (queue, request page, monthly counts) and on the customer's
/// "My requests". Keys are the English texts; translations live in <c>Resources/Localization/RequestText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class RequestText;
