namespace DataVault.Portal.Localization;

/// <summary>
/// Texts of the erasure page and its receipt. Keys are the English texts; translations live in
/// <c>Resources/Localization/ErasureText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class ErasureText;
