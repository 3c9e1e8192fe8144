namespace DataVault.Policies;

/// <summary>The outcome of <see cref="FieldValues.Validate"/>.</summary>
/// <param name="IsValid">Whether the value may be stored.</param>
/// <param name="CanonicalJson">When valid: the compact JSON of the normalized value, which is what gets encrypted and stored.</param>
/// <param name="Error">
/// When invalid: what is wrong, fit for a 400 response and for logs. It never contains the submitted value,
/// which is personal data (GDPR Art. 5(1)(f)); it may name the field's configured limits.
/// </param>
public readonly record struct FieldValueResult(bool IsValid, string? CanonicalJson, string? Error)
{
    public static FieldValueResult Valid(string canonicalJson)
    {
        ArgumentNullException.ThrowIfNull(canonicalJson);
        return new FieldValueResult(true, canonicalJson, null);
    }

    public static FieldValueResult Invalid(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return new FieldValueResult(false, null, error);
    }
}
