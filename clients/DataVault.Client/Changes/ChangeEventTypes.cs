namespace DataVault.Client;

/// <summary>The <see cref="ChangeEventResponse.Type"/> codes of the change feed and of webhooks.</summary>
public static class ChangeEventTypes
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
}
