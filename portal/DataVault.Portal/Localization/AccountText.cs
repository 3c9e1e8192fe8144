namespace DataVault.Portal.Localization;

/// <summary>
/// Texts of the account pages (activation, sign-in, two-factor, sign-out) and their messages. Keys
/// are the English texts; translations live in <c>Resources/Localization/AccountText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class AccountText;
