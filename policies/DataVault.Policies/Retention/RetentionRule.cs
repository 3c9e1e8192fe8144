namespace DataVault.Policies.Retention;

/// <summary>Why a purpose can no longer use a subject's data, which starts its retention clock.</summary>
public enum BasisEnd
{
    /// <summary>GDPR Art. 7(3): the subject withdrew their consent.</summary>
    ConsentWithdrawn,
    /// <summary>The subject refused consent (after having given it, or for a purpose that asked).</summary>
    ConsentRefused,
    /// <summary>The consent ran out at the expiry it was given with.</summary>
    ConsentExpired,
    /// <summary>Art. 6(1)(b)/(f): the contract or relationship the purpose served ended.</summary>
    RelationshipEnded,
    /// <summary>Art. 21: the subject objected and the objection stands.</summary>
    ObjectionUpheld,
    /// <summary>Art. 6(1)(c): a legal obligation counts from the record itself (e.g. 10 years from the invoice).</summary>
    RecordWritten,
}

/// <summary>
/// Where one purpose stands for one subject: still able to use the data (<see cref="Valid"/>), never started
/// (<see cref="NotStarted"/>: e.g. a consent never given, so no clock of its own), or ended at an instant for a reason.
/// </summary>
public sealed record PurposeBasis
{
    private PurposeBasis(string purposeId, DateTimeOffset? endedAt, BasisEnd? reason, bool started)
    {
        ArgumentException.ThrowIfNullOrEmpty(purposeId);
        PurposeId = purposeId;
        EndedAt = endedAt;
        Reason = reason;
        Started = started;
    }

    public string PurposeId { get; }

    /// <summary>When the purpose stopped being able to use the data; null while it still can, or never could.</summary>
    public DateTimeOffset? EndedAt { get; }

    public BasisEnd? Reason { get; }

    /// <summary>False for a purpose the subject never had a basis for: it neither keeps the data nor counts down.</summary>
    public bool Started { get; }

    public static PurposeBasis Valid(string purposeId) => new(purposeId, null, null, started: true);

    public static PurposeBasis NotStarted(string purposeId) => new(purposeId, null, null, started: false);

    public static PurposeBasis Ended(string purposeId, DateTimeOffset endedAt, BasisEnd reason) => new(purposeId, endedAt, reason, started: true);
}

/// <summary>What the retention rule decided for one field (or one version of it).</summary>
/// <param name="Destroy">True when the data must be destroyed now.</param>
/// <param name="KeepUntil">When it will be destroyed if nothing changes; null while a purpose may still use it, or when destroyed.</param>
/// <param name="PurposeId">The purpose that keeps it (the one whose basis or retention lasts longest), or whose retention ran out last; null when no purpose ever applied.</param>
/// <param name="Because">The machine-readable reason, one of the <see cref="RetentionReasons"/>.</param>
public sealed record RetentionVerdict(bool Destroy, DateTimeOffset? KeepUntil, string? PurposeId, string Because);

/// <summary>The stable reason codes of a <see cref="RetentionVerdict"/> (audit entries and previews carry them).</summary>
public static class RetentionReasons
{
    /// <summary>Kept: at least one purpose may still use the field.</summary>
    public const string PurposeValid = "purpose-valid";

    /// <summary>Kept: no purpose may use it any more, but the latest retention has not passed.</summary>
    public const string RetentionRunning = "retention-running";

    /// <summary>Kept: no purpose of the field ever had a basis, so no clock runs (the basis may still be recorded).</summary>
    public const string NoBasisRecorded = "no-basis-recorded";

    /// <summary>Destroyed: every purpose's basis ended and every retention counted from it has passed.</summary>
    public const string RetentionEnded = "retention-ended";

    /// <summary>Destroyed: a superseded (rectified) version outlived the period kept for correction disputes.</summary>
    public const string Superseded = "superseded";
}

/// <summary>
/// GDPR Art. 5(1)(e) storage limitation: a field is kept as long as any purpose may still use it, and after that
/// for each purpose's retention counted from when its basis ended (Art. 17(1)(a): no longer necessary). Only once
/// no purpose may use it and every retention has passed is it destroyed. Pure: the vault supplies the bases.
/// </summary>
public static class RetentionRule
{
    /// <summary>Decides the fate of one field at <paramref name="now"/>.</summary>
    /// <param name="bases">The basis of every purpose that uses the field.</param>
    /// <param name="retentionOf">Each purpose's retention period (the catalogue's <c>retention</c>).</param>
    /// <param name="now">The instant decided at.</param>
    public static RetentionVerdict Decide(IEnumerable<PurposeBasis> bases, Func<string, IsoPeriod> retentionOf, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(bases);
        ArgumentNullException.ThrowIfNull(retentionOf);

        // Ordinal order makes the named purpose the same whatever order the bases come in.
        var started = bases.Where(b => b.Started).OrderBy(b => b.PurposeId, StringComparer.Ordinal).ToList();
        if (started.FirstOrDefault(b => b.EndedAt is null) is { } valid)
        {
            return new RetentionVerdict(false, null, valid.PurposeId, RetentionReasons.PurposeValid);
        }

        if (started.Count == 0)
        {
            return new RetentionVerdict(false, null, null, RetentionReasons.NoBasisRecorded);
        }

        var (purpose, until) = started
            .Select(b => (b.PurposeId, Until: retentionOf(b.PurposeId).AddTo(b.EndedAt!.Value)))
            .Aggregate((longest, next) => next.Until > longest.Until ? next : longest);
        return until <= now
            ? new RetentionVerdict(true, null, purpose, RetentionReasons.RetentionEnded)
            : new RetentionVerdict(false, until, purpose, RetentionReasons.RetentionRunning);
    }

    /// <summary>
    /// GDPR Art. 16 and 5(1)(e): a version replaced by a rectification is kept for <paramref name="disputePeriod"/>
    /// from when it was replaced, in case the correction is disputed, and as long as a legal obligation still holds
    /// that version (<paramref name="holds"/>, counted from when it was written: the invoice's own date); then destroyed.
    /// The latest version is never decided here.
    /// </summary>
    public static RetentionVerdict DecideSuperseded(
        DateTimeOffset supersededAt,
        IsoPeriod disputePeriod,
        IEnumerable<PurposeBasis> holds,
        Func<string, IsoPeriod> retentionOf,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(holds);
        var disputeEnds = disputePeriod.AddTo(supersededAt);
        var held = holds.Where(h => h.Started).ToList();
        if (held.Count > 0 && Decide(held, retentionOf, now) is { Destroy: false } hold && (hold.KeepUntil is null || hold.KeepUntil > disputeEnds))
        {
            return hold;
        }

        return disputeEnds <= now
            ? new RetentionVerdict(true, null, null, RetentionReasons.Superseded)
            : new RetentionVerdict(false, disputeEnds, null, RetentionReasons.Superseded);
    }
}
