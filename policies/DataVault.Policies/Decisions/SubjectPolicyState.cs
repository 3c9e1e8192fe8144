using System.Collections.Frozen;

namespace DataVault.Policies.Decisions;

/// <summary>What is known about a data subject, besides consent, when deciding a release.</summary>
/// <param name="Restricted">GDPR Art. 18: processing is restricted; the data may be stored but not released.</param>
/// <param name="Erased">Art. 17: the subject was erased (crypto-shredded); nothing is released, even data under a legal hold.</param>
/// <param name="ObjectedPurposes">Art. 21: ids of the purposes the subject objected to (a Global Privacy Control signal counts as an objection to every purpose with <see cref="PurposeDefinition.GpcObjection"/>; the caller adds those ids).</param>
/// <param name="ObjectsToAll">An objection to all processing not needed by law or contract, e.g. one given without naming a purpose.</param>
public sealed record SubjectPolicyState(bool Restricted, bool Erased, IReadOnlySet<string> ObjectedPurposes, bool ObjectsToAll)
{
    /// <summary>An active subject: not restricted, not erased, no objections.</summary>
    public static SubjectPolicyState Active { get; } = new(Restricted: false, Erased: false, FrozenSet<string>.Empty, ObjectsToAll: false);
}
