using DataVault.Policies;

namespace DataVault.Portal.Localization;

/// <summary>The policy catalogue's own texts (purpose titles and descriptions, field names) in the request's language.</summary>
internal static class CatalogueText
{
    public static LocalizedText LocalText(this PurposeDefinition purpose)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return purpose.Text.TryGetValue(PortalCultures.Current, out var text) ? text : purpose.Text[PolicyCatalogue.DefaultLanguage];
    }

    public static string LocalTitle(this FieldDefinition field)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.Title.GetValueOrDefault(PortalCultures.Current)
            ?? field.Title.GetValueOrDefault(PolicyCatalogue.DefaultLanguage)
            ?? field.Name;
    }

    /// <summary>What people read for one allowed value of a list field (<c>sports</c> as "Deportes"), or the value itself when the catalogue has no title for it.</summary>
    public static string ValueTitle(this FieldDefinition field, string value)
    {
        ArgumentNullException.ThrowIfNull(field);
        return field.ValueTitles?.GetValueOrDefault(value) is { } titles
            ? titles.GetValueOrDefault(PortalCultures.Current) ?? titles.GetValueOrDefault(PolicyCatalogue.DefaultLanguage) ?? value
            : value;
    }

    /// <summary>The title of a purpose by id, or the id itself when the catalogue no longer has it (old audit entries).</summary>
    public static string PurposeTitle(this PolicyCatalogue catalogue, string purposeId)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        return catalogue.Purposes.TryGetValue(purposeId, out var purpose) ? purpose.LocalText().Title : purposeId;
    }

    /// <summary>The plain-language name of a field by name, or the name itself when the catalogue no longer has it.</summary>
    public static string FieldTitle(this PolicyCatalogue catalogue, string fieldName)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        return catalogue.Fields.TryGetValue(fieldName, out var field) ? field.LocalTitle() : fieldName;
    }
}
