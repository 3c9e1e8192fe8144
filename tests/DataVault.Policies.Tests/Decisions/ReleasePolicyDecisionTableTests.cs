using DataVault.Policies.Decisions;
using static DataVault.Policies.Tests.Decisions.DecisionFixtures;

namespace DataVault.Policies.Tests.Decisions;

/// <summary>The consent history of the subject for the purpose read, as the decision table varies it.</summary>
public enum ConsentCase
{
    /// <summary>No event for the purpose.</summary>
    None,
    Given,
    Refused,
    Withdrawn,
    /// <summary>The latest event is an <see cref="ConsentState.Expired"/> event.</summary>
    ExpiredEvent,
    /// <summary>The latest event is a consent whose ExpiresAt has passed.</summary>
    GivenPastExpiry,
    /// <summary>The latest event is a consent to an earlier version of the purpose.</summary>
    GivenOldVersion,
}

/// <summary>The subject's objections, as the decision table varies them.</summary>
public enum ObjectionCase
{
    None,
    ThisPurpose,
    All,
    AnotherPurpose,
}

/// <summary>
/// Every combination of lawful basis × consent history × restriction × erasure × objection × whether the purpose lists
/// the stored field, checked against <see cref="Oracle"/>: the rules of ARCHITECTURE.md written as plainly as possible,
/// independently of <see cref="ReleasePolicy"/>'s implementation. Each combination is decided from a ready-made
/// <see cref="SubjectPolicyState"/> and again from the subject's stored events (<see cref="SubjectEvents"/>), so the
/// derivation of restriction and objections from events is held to the same table.
/// </summary>
public sealed class ReleasePolicyDecisionTableTests
{
    private const string PurposeId = "table-purpose";
    private const string OtherPurposeId = "other-purpose";
    private const string ListedField = "given_name";
    private const string UnlistedField = "tax_id";

    private static readonly PurposeDefinition[] PurposeByBasis =
        [.. Enum.GetValues<LawfulBasis>().Select(basis => Purpose(PurposeId, basis, "email", ListedField))];

    /// <summary>
    /// What the consent history alone leads to, for a consent basis: null = released. Only a current, unexpired consent
    /// to the current version releases; expiry is reported as such; everything else is "no consent".
    /// </summary>
    private static readonly Dictionary<ConsentCase, WithheldReason?> ConsentOutcome = new()
    {
        [ConsentCase.None] = WithheldReason.NoConsent,
        [ConsentCase.Given] = null,
        [ConsentCase.Refused] = WithheldReason.NoConsent,
        [ConsentCase.Withdrawn] = WithheldReason.NoConsent,
        [ConsentCase.ExpiredEvent] = WithheldReason.Expired,
        [ConsentCase.GivenPastExpiry] = WithheldReason.Expired,
        [ConsentCase.GivenOldVersion] = WithheldReason.NoConsent,
    };

    public static TheoryData<LawfulBasis, ConsentCase, bool, bool, ObjectionCase, bool> AllCombinations()
    {
        var data = new TheoryData<LawfulBasis, ConsentCase, bool, bool, ObjectionCase, bool>();
        foreach (var basis in Enum.GetValues<LawfulBasis>())
        {
            foreach (var consent in Enum.GetValues<ConsentCase>())
            {
                foreach (var restricted in new[] { false, true })
                {
                    foreach (var erased in new[] { false, true })
                    {
                        foreach (var objection in Enum.GetValues<ObjectionCase>())
                        {
                            foreach (var listed in new[] { true, false })
                            {
                                data.Add(basis, consent, restricted, erased, objection, listed);
                            }
                        }
                    }
                }
            }
        }

        return data;
    }

    [Fact]
    public void AllCombinations_EveryDimension_IsEnumerated()
    {
        Assert.Equal(6, Enum.GetValues<LawfulBasis>().Length);
        Assert.Equal(6 * 7 * 2 * 2 * 4 * 2, AllCombinations().Count);
    }

    [Theory]
    [MemberData(nameof(AllCombinations))]
    public void Decide_Combination_MatchesOracle(
        LawfulBasis basis, ConsentCase consent, bool restricted, bool erased, ObjectionCase objection, bool listed)
    {
        var combination = $"basis={basis}, consent={consent}, restricted={restricted}, erased={erased}, objection={objection}, listed={listed}";
        var field = listed ? ListedField : UnlistedField;
        var expected = Oracle(basis, consent, restricted, erased, objection, listed);
        var expectedPurposeReason = Oracle(basis, consent, restricted, erased, objection, listed: true);

        var purpose = PurposeByBasis[(int)basis];
        var subject = SubjectFor(restricted, erased, objection);
        var events = EventsFor(consent);
        string[] stored = [field];

        var decisions = new (string Overload, ReleaseDecision Decision)[]
        {
            ("definition", ReleasePolicy.Decide(purpose, subject, events, stored, Now)),
            ("compiled", ReleasePolicy.Decide(new CompiledPurpose(purpose), subject, events, stored, Now)),
            ("events", SubjectEventsFor(restricted, erased, objection, events).Decide(new CompiledPurpose(purpose), stored, Now)),
        };

        foreach (var (overload, decision) in decisions)
        {
            var actual = Describe(decision);
            var wanted = expected is { } reason ? $"withheld [{field}:{reason}]" : $"released [{field}]";
            if (actual != wanted)
            {
                Assert.Fail($"{combination} ({overload}): expected {wanted}, got {actual}");
            }

            if (decision.LawfulBasisHolds != expectedPurposeReason is null || decision.Reason != expectedPurposeReason)
            {
                Assert.Fail(
                    $"{combination} ({overload}): expected LawfulBasisHolds={expectedPurposeReason is null}, Reason={expectedPurposeReason?.ToString() ?? "none"}; " +
                    $"got LawfulBasisHolds={decision.LawfulBasisHolds}, Reason={decision.Reason?.ToString() ?? "none"}");
            }
        }
    }

    /// <summary>
    /// The rules, top to bottom in order of precedence: the outcome for one stored field, null when released.
    /// </summary>
    private static WithheldReason? Oracle(
        LawfulBasis basis, ConsentCase consent, bool restricted, bool erased, ObjectionCase objection, bool listed)
    {
        if (erased)
        {
            return WithheldReason.Erased;                       // Art. 17
        }

        if (restricted)
        {
            return WithheldReason.Restricted;                   // Art. 18
        }

        if (!listed)
        {
            return WithheldReason.NotInPurpose;                 // Art. 5(1)(b)
        }

        var subjectObjects = objection is ObjectionCase.ThisPurpose or ObjectionCase.All;
        var basisAllowsObjection = basis is LawfulBasis.PublicTask or LawfulBasis.LegitimateInterests // Art. 21(1)
            or LawfulBasis.Consent;                                                                 // the safer reading
        if (subjectObjects && basisAllowsObjection)
        {
            return WithheldReason.Objected;
        }

        return basis == LawfulBasis.Consent ? ConsentOutcome[consent] : null;
    }

    private static SubjectPolicyState SubjectFor(bool restricted, bool erased, ObjectionCase objection) => objection switch
    {
        ObjectionCase.None => Subject(restricted, erased),
        ObjectionCase.ThisPurpose => Subject(restricted, erased, objectsToAll: false, PurposeId),
        ObjectionCase.All => Subject(restricted, erased, objectsToAll: true),
        ObjectionCase.AnotherPurpose => Subject(restricted, erased, objectsToAll: false, OtherPurposeId),
        _ => throw new ArgumentOutOfRangeException(nameof(objection)),
    };

    /// <summary>
    /// The same subject as <see cref="SubjectFor"/>, as the vault stores it: restriction and objection events, given
    /// newest first, with decoys that would flip the outcome of a derivation that ignored the instant, let an earlier
    /// event win over a later one, or mixed up objection targets: a lift or a restriction before the one in force, a
    /// future event, an objection lifted since, and objections to another target.
    /// </summary>
    private static SubjectEvents SubjectEventsFor(bool restricted, bool erased, ObjectionCase objection, IReadOnlyList<ConsentEvent> consents)
    {
        var day = TimeSpan.FromDays(1);
        RestrictionEvent[] restrictions =
        [
            new("r3", !restricted, Now + day),
            new("r2", restricted, Now - (10 * day)),
            new("r1", !restricted, Now - (20 * day)),
        ];
        ObjectionEvent[] objections = objection switch
        {
            ObjectionCase.None =>
            [
                new("o4", null, Objects: true, Now + day),
                new("o3", PurposeId, Objects: false, Now - (10 * day)),
                new("o2", PurposeId, Objects: true, Now - (20 * day)),
                new("o1", OtherPurposeId, Objects: false, Now - (30 * day)),
            ],
            ObjectionCase.ThisPurpose =>
            [
                new("o4", PurposeId, Objects: false, Now + day),
                new("o3", PurposeId, Objects: true, Now - (10 * day)),
                new("o2", null, Objects: false, Now - (15 * day)),
                new("o1", null, Objects: true, Now - (20 * day)),
            ],
            ObjectionCase.All =>
            [
                new("o4", null, Objects: true, Now - (10 * day)),
                new("o3", PurposeId, Objects: false, Now - (15 * day)),
                new("o2", PurposeId, Objects: true, Now - (20 * day)),
            ],
            ObjectionCase.AnotherPurpose =>
            [
                new("o4", PurposeId, Objects: true, Now + day),
                new("o3", OtherPurposeId, Objects: true, Now - (10 * day)),
                new("o2", PurposeId, Objects: false, Now - (15 * day)),
                new("o1", PurposeId, Objects: true, Now - (20 * day)),
            ],
            _ => throw new ArgumentOutOfRangeException(nameof(objection)),
        };
        return new SubjectEvents(restrictions, objections, consents, erased);
    }

    /// <summary>
    /// The history for a case, newest first (the engine must not rely on order), with decoys that would flip the outcome
    /// of an engine that ignored the purpose id or the instant: the other purpose's opposite state, and a future event
    /// for this purpose.
    /// </summary>
    private static ConsentEvent[] EventsFor(ConsentCase consent)
    {
        var day = TimeSpan.FromDays(1);
        ConsentEvent[] history = consent switch
        {
            ConsentCase.None => [],
            ConsentCase.Given => [Given(PurposeId, Now - (10 * day), expiresAt: Now + (365 * day))],
            ConsentCase.Refused => [Event(PurposeId, ConsentState.Refused, Now - (10 * day)), Given(PurposeId, Now - (20 * day))],
            ConsentCase.Withdrawn => [Event(PurposeId, ConsentState.Withdrawn, Now - (10 * day)), Given(PurposeId, Now - (20 * day))],
            ConsentCase.ExpiredEvent => [Event(PurposeId, ConsentState.Expired, Now - (10 * day)), Given(PurposeId, Now - (20 * day))],
            ConsentCase.GivenPastExpiry => [Given(PurposeId, Now - (400 * day), expiresAt: Now - (35 * day))],
            ConsentCase.GivenOldVersion => [Given(PurposeId, Now - (10 * day), version: OldVersion)],
            _ => Array.Empty<ConsentEvent>(),
        };

        ConsentEvent[] decoys = consent == ConsentCase.Given
            ? [Event(OtherPurposeId, ConsentState.Withdrawn, Now - day), Event(PurposeId, ConsentState.Withdrawn, Now + day)]
            : [Given(OtherPurposeId, Now - day), Given(PurposeId, Now + day)];
        return [.. decoys, .. history];
    }

    private static string Describe(ReleaseDecision decision)
    {
        if (decision.Released.Count > 0 && decision.Withheld.Count == 0)
        {
            return $"released [{string.Join(", ", decision.Released)}]";
        }

        if (decision.Released.Count == 0 && decision.Withheld.Count > 0)
        {
            return $"withheld [{string.Join(", ", decision.Withheld.Select(w => $"{w.Field}:{w.Reason}"))}]";
        }

        return $"released [{string.Join(", ", decision.Released)}] and withheld [{string.Join(", ", decision.Withheld.Select(w => $"{w.Field}:{w.Reason}"))}]";
    }
}
