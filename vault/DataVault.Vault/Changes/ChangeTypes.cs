namespace DataVault.Vault.Changes;

/// <summary>
/// The kinds of change recipients are told of (GDPR Art. 7(3), 17(2), 19), as stable codes: a change event's
/// <c>type</c>. Those marked unpublished are facts for the vault's own observers only, never put in the feed.
/// </summary>
public static class ChangeTypes
{
    public const string ConsentGiven = "consent.given";
    public const string ConsentWithdrawn = "consent.withdrawn";
    public const string ConsentExpired = "consent.expired";
    public const string ObjectionRecorded = "objection.recorded";
    public const string ObjectionLifted = "objection.lifted";
    public const string RestrictionPlaced = "restriction.placed";
    public const string RestrictionLifted = "restriction.lifted";
    public const string SubjectRectified = "subject.rectified";
    public const string SubjectErased = "subject.erased";
    public const string DataDestroyed = "data.destroyed";
    public const string PurposeVersionChanged = "purpose.version-changed";

    /// <summary>Every type recipients are told of, in the order listed above.</summary>
    public static IReadOnlyList<string> Published { get; } =
    [
        ConsentGiven, ConsentWithdrawn, ConsentExpired, ObjectionRecorded, ObjectionLifted, RestrictionPlaced, RestrictionLifted,
        SubjectRectified, SubjectErased, DataDestroyed, PurposeVersionChanged,
    ];

    /// <summary>The types for which the vault must show which recipients were told and which acknowledged (GDPR Art. 19: rectification, erasure, restriction).</summary>
    public static IReadOnlyList<string> Article19 { get; } = [SubjectRectified, SubjectErased, RestrictionPlaced, RestrictionLifted];

    /// <summary>Unpublished: a refusal changes nothing a recipient holds.</summary>
    public const string ConsentRefused = "consent.refused";
}
