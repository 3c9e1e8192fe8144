namespace DataVault.Portal.Localization;

/// <summary>
/// Texts of the export page and of the titles written into the export. Keys are the English texts;
/// translations live in <c>Resources/Localization/ExportText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class ExportText;
