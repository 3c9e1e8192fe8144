namespace DataVault.Policies.Decisions;

/// <summary>The state a consent event records (ISO/IEC TS 27560 consent status, reduced to what a decision needs).</summary>
public enum ConsentState
{
    /// <summary>The subject gave consent (GDPR Art. 4(11), Art. 7).</summary>
    Given,

    /// <summary>The subject was asked and said no.</summary>
    Refused,

    /// <summary>The subject withdrew an earlier consent (Art. 7(3)); effective at once.</summary>
    Withdrawn,

    /// <summary>The controller recorded that the consent lapsed (e.g. a refresh cycle ended).</summary>
    Expired,
}

/// <summary>
/// One consent event: append-only, ISO/IEC TS 27560 shape, but only what the decision needs. The current state of a
/// consent is never stored; it is derived from the events by <see cref="ConsentHistory"/>.
/// </summary>
/// <param name="PurposeId">The purpose the event is about, compared ordinally with <see cref="PurposeDefinition.Id"/>.</param>
/// <param name="PurposeVersion">The <see cref="PurposeDefinition.Version"/> the subject was shown when the event was recorded.</param>
/// <param name="State">What happened.</param>
/// <param name="At">When it took effect.</param>
/// <param name="ExpiresAt">For <see cref="ConsentState.Given"/>: the first instant at which the consent no longer counts; null = no expiry.</param>
public sealed record ConsentEvent(
    string PurposeId,
    string PurposeVersion,
    ConsentState State,
    DateTimeOffset At,
    DateTimeOffset? ExpiresAt);
