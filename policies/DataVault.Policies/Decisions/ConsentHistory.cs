using System.Runtime.InteropServices;

namespace DataVault.Policies.Decisions;

/// <summary>The state of a subject's consent to one purpose at one instant, derived from the consent events.</summary>
public enum EffectiveConsent
{
    /// <summary>No event for the purpose at or before the instant.</summary>
    None,

    /// <summary>The latest event is a consent for the purpose's current version that has not expired: the only state that allows processing.</summary>
    Given,

    /// <summary>The latest event is a refusal.</summary>
    Refused,

    /// <summary>The latest event is a withdrawal (GDPR Art. 7(3)), whatever version it names.</summary>
    Withdrawn,

    /// <summary>The latest event is an expiry, or a consent for the current version whose <see cref="ConsentEvent.ExpiresAt"/> has been reached.</summary>
    Expired,

    /// <summary>
    /// The latest event is a consent given for another version of the purpose. Consent is specific and informed
    /// (Art. 4(11)): agreeing to an earlier definition does not cover a changed one, so this counts as no consent.
    /// </summary>
    OutdatedVersion,
}

/// <summary>
/// Derives the state of consent from the append-only consent events. Pure functions: the caller supplies the
/// instant (from its <see cref="TimeProvider"/>), so as-of queries and tests need no clock.
/// </summary>
public static class ConsentHistory
{
    /// <summary>
    /// The latest event for <paramref name="purposeId"/> that had taken effect at <paramref name="at"/>
    /// (<see cref="ConsentEvent.At"/> &lt;= <paramref name="at"/>), or null when there is none. The events may be in
    /// any order; of two events at the same instant the one later in the sequence wins, since the sequence is the
    /// order they were appended in. Every version of the purpose is considered: a withdrawal recorded against an
    /// older version still withdraws (Art. 7(3)).
    /// </summary>
    /// <remarks>Arrays and lists are scanned without allocating; other sequences are enumerated once.</remarks>
    public static ConsentEvent? LatestAt(IEnumerable<ConsentEvent> events, string purposeId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(purposeId);
        switch (events)
        {
            case ConsentEvent[] array:
                return LatestIn(new ReadOnlySpan<ConsentEvent>(array), purposeId, at);
            case List<ConsentEvent> list:
                return LatestIn(CollectionsMarshal.AsSpan(list), purposeId, at);
            case IReadOnlyList<ConsentEvent> list:
                ConsentEvent? latest = null;
                for (var i = 0; i < list.Count; i++)
                {
                    Consider(ref latest, list[i], purposeId, at);
                }

                return latest;
            default:
                ConsentEvent? found = null;
                foreach (var candidate in events)
                {
                    Consider(ref found, candidate, purposeId, at);
                }

                return found;
        }
    }

    /// <summary>
    /// The effective state of consent to <paramref name="purpose"/> at <paramref name="at"/>, judged against the
    /// purpose's <em>current</em> <see cref="PurposeDefinition.Version"/>. Only <see cref="EffectiveConsent.Given"/>
    /// allows processing on a consent basis; every other value names why not.
    /// </summary>
    /// <remarks>
    /// The latest event (see <see cref="LatestAt"/>) decides alone, so withdrawal is effective from its own instant
    /// (Art. 7(3)). For a <see cref="ConsentState.Given"/> event the version is checked before the expiry: a consent to
    /// an old version is <see cref="EffectiveConsent.OutdatedVersion"/> whether or not it has also expired, because
    /// what the subject must be asked for is consent to the current definition. <see cref="ConsentEvent.ExpiresAt"/>
    /// is exclusive: at the expiry instant itself the consent no longer counts.
    /// </remarks>
    public static EffectiveConsent Evaluate(IEnumerable<ConsentEvent> events, PurposeDefinition purpose, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        return Evaluate(events, purpose.Id, purpose.Version, at);
    }

    /// <summary>
    /// As <see cref="Evaluate(IEnumerable{ConsentEvent}, PurposeDefinition, DateTimeOffset)"/>, against an explicit
    /// version. For as-of queries in the past, pass the version that was in force at <paramref name="at"/>: judged
    /// against today's version, a consent that was valid then reads as <see cref="EffectiveConsent.OutdatedVersion"/>.
    /// </summary>
    public static EffectiveConsent Evaluate(IEnumerable<ConsentEvent> events, string purposeId, string purposeVersion, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(purposeVersion);
        return Classify(LatestAt(events, purposeId, at), purposeVersion, at);
    }

    internal static EffectiveConsent Classify(ConsentEvent? latest, string purposeVersion, DateTimeOffset at)
    {
        if (latest is null)
        {
            return EffectiveConsent.None;
        }

        switch (latest.State)
        {
            case ConsentState.Given:
                // GDPR Art. 4(11): consent is specific and informed, so it covers only the definition it was given for.
                if (!string.Equals(latest.PurposeVersion, purposeVersion, StringComparison.Ordinal))
                {
                    return EffectiveConsent.OutdatedVersion;
                }

                return latest.ExpiresAt is { } expiresAt && expiresAt <= at ? EffectiveConsent.Expired : EffectiveConsent.Given;
            case ConsentState.Refused:
                return EffectiveConsent.Refused;
            case ConsentState.Withdrawn:
                return EffectiveConsent.Withdrawn;
            case ConsentState.Expired:
                return EffectiveConsent.Expired;
            default:
                // A state this code does not know (a value cast from a newer store): fail closed.
                return EffectiveConsent.None;
        }
    }

    private static ConsentEvent? LatestIn(ReadOnlySpan<ConsentEvent> events, string purposeId, DateTimeOffset at)
    {
        ConsentEvent? latest = null;
        foreach (var candidate in events)
        {
            Consider(ref latest, candidate, purposeId, at);
        }

        return latest;
    }

    private static void Consider(ref ConsentEvent? latest, ConsentEvent candidate, string purposeId, DateTimeOffset at)
    {
        if (candidate is null)
        {
            throw new ArgumentException("The consent events contain a null entry.");
        }

        // DateTimeOffset compares instants, so events recorded with different offsets order correctly. ">=" makes the
        // later of two events at the same instant win.
        if (candidate.At <= at
            && (latest is null || candidate.At >= latest.At)
            && string.Equals(candidate.PurposeId, purposeId, StringComparison.Ordinal))
        {
            latest = candidate;
        }
    }
}
