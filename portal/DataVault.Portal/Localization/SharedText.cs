namespace DataVault.Portal.Localization;

/// <summary>
/// Texts every page shares (layout, navigation, language switcher) and the validation messages of
/// form models. Keys are the English texts; translations live in <c>Resources/Localization/SharedText.{es,ca,it,et}.resx</c>.
/// </summary>
internal sealed class SharedText;
