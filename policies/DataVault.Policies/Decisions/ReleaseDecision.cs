namespace DataVault.Policies.Decisions;

/// <summary>Why a stored field was not released. Only the field's name is reported, never its value.</summary>
public enum WithheldReason
{
    /// <summary>Consent basis (GDPR Art. 6(1)(a)) without a current consent: none, refused, withdrawn, or given for an older version of the purpose.</summary>
    NoConsent,

    /// <summary>Consent basis, and the consent expired (an expiry event, or a consent past its expiry).</summary>
    Expired,

    /// <summary>The purpose does not list the field (Art. 5(1)(b)–(c), purpose limitation and data minimisation).</summary>
    NotInPurpose,

    /// <summary>The subject restricted processing (Art. 18).</summary>
    Restricted,

    /// <summary>The subject objected to the purpose, or to all processing it can object to (Art. 21).</summary>
    Objected,

    /// <summary>The subject was erased (Art. 17).</summary>
    Erased,
}

/// <summary>A stored field that was not released, and why.</summary>
public readonly record struct WithheldField(string Field, WithheldReason Reason);

/// <summary>
/// The outcome of <see cref="ReleasePolicy.Decide(CompiledPurpose, SubjectPolicyState, IReadOnlyList{ConsentEvent}, IReadOnlyCollection{string}, DateTimeOffset)"/>
/// for one subject and one purpose. Every stored field appears exactly once, in <see cref="Released"/> or in
/// <see cref="Withheld"/>; a field the subject has no value for appears in neither.
/// </summary>
public sealed class ReleaseDecision
{
    internal ReleaseDecision(string purposeId, string[] released, WithheldField[] withheld, WithheldReason? reason)
    {
        PurposeId = purposeId;
        Released = released;
        Withheld = withheld;
        Reason = reason;
    }

    /// <summary>The purpose the decision was made for.</summary>
    public string PurposeId { get; }

    /// <summary>Names of the fields released, in the purpose's field order.</summary>
    public IReadOnlyList<string> Released { get; }

    /// <summary>
    /// The stored fields not released: first those the purpose lists (in the purpose's order), then those it does not
    /// (in the order the stored fields were given, each once).
    /// </summary>
    public IReadOnlyList<WithheldField> Withheld { get; }

    /// <summary>
    /// True when the purpose may be processed for this subject: its lawful basis (Art. 6(1)) is satisfied, no
    /// objection (Art. 21) stands against it, and the subject is neither restricted (Art. 18) nor erased (Art. 17).
    /// Then every stored field the purpose lists is released; when false, none is. It does not depend on which fields
    /// are stored, so a campaign export can filter subjects by it.
    /// </summary>
    /// <remarks>
    /// Restriction and erasure make this false even where the Art. 6 basis itself would hold: a caller that filters
    /// on this flag alone must not process a restricted or erased subject (Art. 18(2)), so the flag fails closed.
    /// </remarks>
    public bool LawfulBasisHolds => Reason is null;

    /// <summary>
    /// Why the fields the purpose lists are withheld (the reason each of them gets in <see cref="Withheld"/>), or null
    /// when they are released.
    /// </summary>
    public WithheldReason? Reason { get; }
}
