namespace DataVault.Portal.Localization;

/// <summary>
/// Texts of the compliance officer's desk (audit search, consent overview, record of processing).
/// Keys are the English texts; translations live in <c>Resources/Localization/DeskText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class DeskText;
