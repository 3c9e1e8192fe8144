namespace DataVault.Vault.Accounts;

/// <summary>
/// The kinds of identity document an officer may record as checked when inviting a customer at the
/// desk (the customer proved who they are and which address is theirs). Only the kind is stored, never
/// a document number.
/// </summary>
public static class IdentityEvidence
{
    public const string Passport = "passport";
    public const string NationalIdCard = "national-id-card";
    public const string DrivingLicence = "driving-licence";
    public const string ResidencePermit = "residence-permit";

    public static IReadOnlyList<string> All { get; } = [Passport, NationalIdCard, DrivingLicence, ResidencePermit];
}
