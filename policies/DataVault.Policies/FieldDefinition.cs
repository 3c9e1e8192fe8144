namespace DataVault.Policies;

/// <summary>The kinds of value a field can hold; each has its own validation and normalization.</summary>
public enum FieldType
{
    /// <summary>A string; <see cref="FieldValidation.Multiline"/> decides whether line breaks are allowed.</summary>
    Text,
    /// <summary>An e-mail address (RFC 5321 length limits), stored as given, looked up lower-cased.</summary>
    Email,
    /// <summary>A telephone number in E.164 form (<c>+</c> and 8–15 digits) after removing spaces, dots, dashes and parentheses.</summary>
    Phone,
    /// <summary>A calendar date, ISO 8601 <c>yyyy-MM-dd</c>.</summary>
    Date,
    /// <summary>A BCP 47 language tag out of <see cref="FieldValidation.AllowedValues"/>.</summary>
    Language,
    /// <summary>A JSON array of distinct strings, each out of <see cref="FieldValidation.AllowedValues"/> when that is set.</summary>
    TextList,
}

/// <summary>Validation rules of a field. Unset limits do not apply.</summary>
public sealed record FieldValidation
{
    public int? MinLength { get; init; }

    public int? MaxLength { get; init; }

    /// <summary>Whether a <see cref="FieldType.Text"/> value may contain line breaks (never other control characters).</summary>
    public bool Multiline { get; init; }

    public IReadOnlyList<string>? AllowedValues { get; init; }

    public int? MaxItems { get; init; }

    /// <summary>For <see cref="FieldType.Date"/>: the earliest date accepted.</summary>
    public DateOnly? MinDate { get; init; }

    /// <summary>For <see cref="FieldType.Date"/>: dates may not be in the future when true.</summary>
    public bool NotInFuture { get; init; }
}

/// <summary>A field of the catalogue: what may be stored about a subject.</summary>
/// <param name="Name">snake_case identifier used on the wire, e.g. <c>given_name</c>.</param>
/// <param name="Type">Value kind.</param>
/// <param name="DataCategory">fideslang-like category, e.g. <c>user.contact.email</c>.</param>
/// <param name="Searchable">Whether a blind index is kept so the subject can be looked up by this field.</param>
/// <param name="KeyGroup">Name of the <see cref="KeyGroupDefinition"/> whose data key encrypts it.</param>
/// <param name="Validation">Value rules.</param>
/// <param name="Title">Plain-language name per language (en, es, ca, it, et).</param>
/// <param name="ValueTitles">
/// For a <see cref="FieldType.TextList"/> with <see cref="FieldValidation.AllowedValues"/>: each allowed value's
/// plain-language name per language (<c>sports</c> is "Deportes" in Spanish). Values are stored as the codes;
/// these are only what people read. Null for other fields.
/// </param>
public sealed record FieldDefinition(
    string Name,
    FieldType Type,
    string DataCategory,
    bool Searchable,
    string KeyGroup,
    FieldValidation Validation,
    IReadOnlyDictionary<string, string> Title,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>>? ValueTitles = null);
