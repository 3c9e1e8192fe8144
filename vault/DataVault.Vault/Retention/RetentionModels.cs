using DataVault.Policies;
using DataVault.Policies.Retention;

namespace DataVault.Vault.Retention;

/// <summary>
/// Versions of one field the retention rule destroys: the whole field (<see cref="Superseded"/> false: every version,
/// the latest included), or only versions replaced by a rectification that outlived the dispute period.
/// </summary>
/// <param name="Field">The catalogue field.</param>
/// <param name="FromVersion">The oldest version destroyed.</param>
/// <param name="ThroughVersion">The newest version destroyed.</param>
/// <param name="Superseded">True when only replaced versions go and the field keeps its latest value.</param>
/// <param name="Because">The rule's reason code (<see cref="Policies.Retention.RetentionReasons"/>).</param>
/// <param name="PurposeId">The purpose whose retention ran out last; null for superseded versions.</param>
public sealed record RetentionDestruction(string Field, int FromVersion, int ThroughVersion, bool Superseded, string Because, string? PurposeId);

/// <summary>What the retention rule destroys of one subject at an instant; a subject left with no data becomes a tombstone.</summary>
public sealed record SubjectRetentionPlan(string SubjectId, IReadOnlyList<RetentionDestruction> Destructions, bool LeavesNoData);

/// <summary>A relationship (contract, legitimate interest) for a purpose ended, as recorded.</summary>
public sealed record RelationshipEndView(string Id, string PurposeId, DateTimeOffset EndedAt, DateTimeOffset RecordedAt, string? Reason);

/// <summary>What the retention rule decides for the latest value of one field a subject holds, and why.</summary>
/// <param name="Field">The catalogue field.</param>
/// <param name="Verdict">The rule's verdict: kept (until when, for which purpose) or due for destruction.</param>
/// <param name="BasisEnd">How the basis of the verdict's purpose ended, which starts its retention; null while it may still use the field.</param>
/// <param name="Retention">The retention of the verdict's purpose; null when no purpose applies.</param>
public sealed record FieldRetention(string Field, RetentionVerdict Verdict, BasisEnd? BasisEnd, IsoPeriod? Retention);
