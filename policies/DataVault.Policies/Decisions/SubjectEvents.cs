namespace DataVault.Policies.Decisions;

/// <summary>A restriction event (GDPR Art. 18): processing restricted, or the restriction lifted.</summary>
/// <param name="Id">The event's id. Of two events at the same instant, the one whose id sorts later (ordinal) is the later.</param>
/// <param name="Restricts">True when it restricts processing; false when it lifts the restriction.</param>
/// <param name="At">When it took effect.</param>
public sealed record RestrictionEvent(string Id, bool Restricts, DateTimeOffset At);

/// <summary>An objection event (GDPR Art. 21) to one purpose, or to all processing it can object to.</summary>
/// <param name="Id">The event's id. Of two events at the same instant, the one whose id sorts later (ordinal) is the later.</param>
/// <param name="PurposeId">The purpose objected to; null for all processing.</param>
/// <param name="Objects">True when it objects; false when it lifts the objection.</param>
/// <param name="At">When it took effect.</param>
public sealed record ObjectionEvent(string Id, string? PurposeId, bool Objects, DateTimeOffset At);

/// <summary>
/// What the release rule knows about one subject: its append-only restriction, objection and consent events and
/// whether it was erased. The state at an instant is derived here and nowhere else, so a consented read, an export,
/// a look-up and the consent state a customer sees all follow one rule: per restriction, and per objection target
/// (a purpose, or all processing), the latest event that had taken effect at the instant decides.
/// </summary>
/// <remarks>Immutable once built, and thread-safe.</remarks>
public sealed class SubjectEvents
{
    private readonly IReadOnlyList<RestrictionEvent> _restrictions;
    private readonly IReadOnlyList<ObjectionEvent> _objections;

    /// <param name="restrictions">Its restriction events, in any order.</param>
    /// <param name="objections">Its objection events, in any order.</param>
    /// <param name="consents">Its consent events, in the order they were recorded (time, then id): of two consent events at the same instant the later in this list wins (<see cref="ConsentHistory.LatestAt"/>).</param>
    /// <param name="erased">Whether the subject was erased (Art. 17).</param>
    public SubjectEvents(
        IReadOnlyList<RestrictionEvent> restrictions,
        IReadOnlyList<ObjectionEvent> objections,
        IReadOnlyList<ConsentEvent> consents,
        bool erased = false)
    {
        ArgumentNullException.ThrowIfNull(restrictions);
        ArgumentNullException.ThrowIfNull(objections);
        ArgumentNullException.ThrowIfNull(consents);
        _restrictions = restrictions;
        _objections = objections;
        Consents = consents;
        Erased = erased;
    }

    /// <summary>The subject's consent events, in the order they were recorded.</summary>
    public IReadOnlyList<ConsentEvent> Consents { get; }

    public bool Erased { get; }

    /// <summary>
    /// Restriction, erasure and objections at <paramref name="at"/>: events after the instant do not count yet, and
    /// of the events that do, the latest per restriction and per objection target decides (a lift ends what it lifts).
    /// </summary>
    public SubjectPolicyState StateAt(DateTimeOffset at)
    {
        // Most subjects never restrict or object: their state is shared, not built per read.
        if (_restrictions.Count == 0 && _objections.Count == 0 && !Erased)
        {
            return SubjectPolicyState.Active;
        }

        RestrictionEvent? restriction = null;
        foreach (var candidate in _restrictions)
        {
            if (candidate.At <= at && (restriction is null || Later(candidate.At, candidate.Id, restriction.At, restriction.Id)))
            {
                restriction = candidate;
            }
        }

        // The latest event per target; the key of objections to all processing is the empty string, which is no purpose id.
        var latest = new Dictionary<string, ObjectionEvent>(StringComparer.Ordinal);
        foreach (var candidate in _objections)
        {
            var target = candidate.PurposeId ?? string.Empty;
            if (candidate.At <= at
                && (!latest.TryGetValue(target, out var current) || Later(candidate.At, candidate.Id, current.At, current.Id)))
            {
                latest[target] = candidate;
            }
        }

        var objectsToAll = false;
        var objected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (target, objection) in latest)
        {
            if (!objection.Objects)
            {
                continue;
            }

            if (target.Length == 0)
            {
                objectsToAll = true;
            }
            else
            {
                objected.Add(target);
            }
        }

        return new SubjectPolicyState(restriction?.Restricts == true, Erased, objected, objectsToAll);
    }

    /// <summary>Which of <paramref name="storedFields"/> are released for <paramref name="purpose"/> at <paramref name="now"/> (<see cref="ReleasePolicy"/>).</summary>
    public ReleaseDecision Decide(CompiledPurpose purpose, IReadOnlyCollection<string> storedFields, DateTimeOffset now) =>
        ReleasePolicy.Decide(purpose, StateAt(now), Consents, storedFields, now);

    /// <summary>Whether <paramref name="purpose"/> may process the subject at <paramref name="now"/>, whatever fields it holds (<see cref="ReleaseDecision.LawfulBasisHolds"/>).</summary>
    public bool MayProcess(CompiledPurpose purpose, DateTimeOffset now) => Decide(purpose, [], now).LawfulBasisHolds;

    private static bool Later(DateTimeOffset at, string id, DateTimeOffset thanAt, string thanId) =>
        at != thanAt ? at > thanAt : string.CompareOrdinal(id, thanId) > 0;
}

/// <summary>When a version of a purpose came into force (it stays in force until a later one does).</summary>
public sealed record PurposeVersionInForce(string PurposeId, string Version, DateTimeOffset EffectiveFrom);

/// <summary>
/// The versions each purpose has had. A consent "as at" an instant is judged against the definition the subject saw
/// then (GDPR Art. 7(1)), not today's.
/// </summary>
public sealed class PurposeVersionHistory
{
    private readonly ILookup<string, PurposeVersionInForce> _byPurpose;

    public PurposeVersionHistory(IEnumerable<PurposeVersionInForce> versions)
    {
        ArgumentNullException.ThrowIfNull(versions);
        _byPurpose = versions.ToLookup(v => v.PurposeId, StringComparer.Ordinal);
    }

    /// <summary>
    /// The version of <paramref name="purposeId"/> in force at <paramref name="at"/>: the latest effective by then, else
    /// (an instant before the vault knew the purpose) the earliest known; null for a purpose with no known version.
    /// </summary>
    public string? VersionAt(string purposeId, DateTimeOffset at)
    {
        var versions = _byPurpose[purposeId];
        return (versions.Where(v => v.EffectiveFrom <= at).MaxBy(v => v.EffectiveFrom) ?? versions.MinBy(v => v.EffectiveFrom))?.Version;
    }
}
