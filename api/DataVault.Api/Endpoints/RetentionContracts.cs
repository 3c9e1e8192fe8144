using DataVault.Vault.Retention;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/subjects/{subjectId}/relationships</c>: the relationship a purpose served ended.</summary>
/// <param name="PurposeId">A contract or legitimate-interest purpose of the catalogue, e.g. <c>service-delivery</c>.</param>
/// <param name="EndedAt">When the relationship ended (the contract's end, the account's closure); not in the future.</param>
/// <param name="Reason">Why, in words; at most 500 characters on one line.</param>
internal sealed record EndRelationshipRequest(string PurposeId, DateTimeOffset EndedAt, string? Reason = null);

/// <summary>A recorded end of a relationship: the purpose's retention runs from <c>endedAt</c>.</summary>
/// <param name="Id">Id of the record (UUIDv7).</param>
/// <param name="PurposeId">The purpose whose relationship ended.</param>
/// <param name="EndedAt">When it ended.</param>
/// <param name="RecordedAt">When the vault stored it.</param>
/// <param name="Reason">Why, as the recording system wrote it.</param>
internal sealed record RelationshipEndResponse(string Id, string PurposeId, DateTimeOffset EndedAt, DateTimeOffset RecordedAt, string? Reason)
{
    public static RelationshipEndResponse From(RelationshipEndView view) => new(view.Id, view.PurposeId, view.EndedAt, view.RecordedAt, view.Reason);
}

/// <summary>What a retention sweep at <c>at</c> would destroy: ids, field names, versions and rules, never a value.</summary>
/// <param name="At">The instant the preview was made for.</param>
/// <param name="Subjects">Each subject that would lose data.</param>
internal sealed record RetentionPreviewResponse(DateTimeOffset At, IReadOnlyList<RetentionPreviewSubject> Subjects);

/// <summary>One subject in a retention preview.</summary>
/// <param name="SubjectId">The subject.</param>
/// <param name="Tombstone">True when the subject would be left with no data and become a tombstone, as after an erasure.</param>
/// <param name="Destructions">What would go, field by field.</param>
internal sealed record RetentionPreviewSubject(string SubjectId, bool Tombstone, IReadOnlyList<RetentionPreviewDestruction> Destructions)
{
    public static RetentionPreviewSubject From(SubjectRetentionPlan plan) => new(
        plan.SubjectId,
        plan.LeavesNoData,
        plan.Destructions.Select(d => new RetentionPreviewDestruction(d.Field, d.FromVersion, d.ThroughVersion, d.Superseded, d.Because, d.PurposeId)).ToList());
}

/// <summary>Versions of a field a retention sweep would destroy, and why.</summary>
/// <param name="Field">The catalogue field.</param>
/// <param name="FromVersion">The oldest version destroyed.</param>
/// <param name="ThroughVersion">The newest version destroyed.</param>
/// <param name="Superseded">True when only versions replaced by a rectification go; the field keeps its latest value.</param>
/// <param name="Rule"><c>retention-ended</c> (no purpose may use the field and every retention since its basis ended has passed) or <c>superseded</c> (a replaced version outlived <c>Retention:SupersededVersions</c>).</param>
/// <param name="PurposeId">For <c>retention-ended</c>: the purpose whose retention ran out last.</param>
internal sealed record RetentionPreviewDestruction(string Field, int FromVersion, int ThroughVersion, bool Superseded, string Rule, string? PurposeId);
