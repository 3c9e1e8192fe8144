using DataVault.Policies.Decisions;
using static DataVault.Policies.Tests.Decisions.DecisionFixtures;

namespace DataVault.Policies.Tests.Decisions;

public sealed class ConsentHistoryTests
{
    private const string Id = "marketing-email";

    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly PurposeDefinition Marketing = Purpose(Id, LawfulBasis.Consent, "email");

    [Fact]
    public void LatestAt_UnsortedEvents_ReturnsLatestByInstant()
    {
        var first = Given(Id, Now - (30 * Day));
        var second = Event(Id, ConsentState.Withdrawn, Now - (20 * Day));
        var third = Given(Id, Now - (10 * Day));

        Assert.Same(third, ConsentHistory.LatestAt([second, third, first], Id, Now));
        Assert.Same(third, ConsentHistory.LatestAt([third, first, second], Id, Now));
    }

    [Fact]
    public void LatestAt_SameInstant_LaterInListWins()
    {
        var given = Given(Id, Now - Day);
        var withdrawn = Event(Id, ConsentState.Withdrawn, Now - Day);

        Assert.Same(withdrawn, ConsentHistory.LatestAt([given, withdrawn], Id, Now));
        Assert.Same(given, ConsentHistory.LatestAt([withdrawn, given], Id, Now));
    }

    [Fact]
    public void LatestAt_SameInstantInOtherOffset_IsATie()
    {
        var given = Given(Id, new DateTimeOffset(2025, 6, 1, 12, 0, 0, TimeSpan.Zero));
        var withdrawn = Event(Id, ConsentState.Withdrawn, new DateTimeOffset(2025, 6, 1, 14, 0, 0, TimeSpan.FromHours(2)));

        Assert.Same(withdrawn, ConsentHistory.LatestAt([given, withdrawn], Id, Now));
    }

    [Fact]
    public void LatestAt_BeforeAnyEvent_ReturnsNull()
    {
        ConsentEvent[] events = [Given(Id, Now), Event(Id, ConsentState.Withdrawn, Now + Day)];

        Assert.Null(ConsentHistory.LatestAt(events, Id, Now - TimeSpan.FromTicks(1)));
        Assert.Equal(EffectiveConsent.None, ConsentHistory.Evaluate(events, Marketing, Now - TimeSpan.FromTicks(1)));
    }

    [Fact]
    public void LatestAt_NoEvents_ReturnsNull()
    {
        Assert.Null(ConsentHistory.LatestAt([], Id, Now));
        Assert.Equal(EffectiveConsent.None, ConsentHistory.Evaluate([], Marketing, Now));
    }

    [Fact]
    public void LatestAt_OtherPurposes_AreIgnored()
    {
        var mine = Given(Id, Now - (10 * Day));
        ConsentEvent[] events = [mine, Event("analytics", ConsentState.Withdrawn, Now - Day), Given("Marketing-Email", Now - Day)];

        Assert.Same(mine, ConsentHistory.LatestAt(events, Id, Now));
    }

    [Fact]
    public void LatestAt_EventAtTheInstant_Counts()
    {
        var withdrawn = Event(Id, ConsentState.Withdrawn, Now);

        Assert.Same(withdrawn, ConsentHistory.LatestAt([Given(Id, Now - Day), withdrawn], Id, Now));
    }

    [Fact]
    public void LatestAt_AnySequence_GivesSameAnswer()
    {
        // Arrays and lists are scanned as spans, other sequences enumerated: all must agree.
        ConsentEvent[] events = [Given(Id, Now - (3 * Day)), Event(Id, ConsentState.Withdrawn, Now - Day), Given(Id, Now + Day)];
        var expected = events[1];

        Assert.Same(expected, ConsentHistory.LatestAt(events, Id, Now));
        Assert.Same(expected, ConsentHistory.LatestAt(events.ToList(), Id, Now));
        Assert.Same(expected, ConsentHistory.LatestAt(events.AsReadOnly(), Id, Now));
        Assert.Same(expected, ConsentHistory.LatestAt(events.Select(e => e), Id, Now));
    }

    [Fact]
    public void Evaluate_GivenThenWithdrawn_AsOfQueries()
    {
        var givenAt = Now - (10 * Day);
        var withdrawnAt = Now - (5 * Day);
        ConsentEvent[] events = [Given(Id, givenAt), Event(Id, ConsentState.Withdrawn, withdrawnAt)];

        Assert.Equal(EffectiveConsent.None, ConsentHistory.Evaluate(events, Marketing, givenAt - TimeSpan.FromTicks(1)));
        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Marketing, givenAt));
        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Marketing, withdrawnAt - TimeSpan.FromTicks(1)));
        Assert.Equal(EffectiveConsent.Withdrawn, ConsentHistory.Evaluate(events, Marketing, withdrawnAt));
        Assert.Equal(EffectiveConsent.Withdrawn, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_ExpiresAtExactlyTheInstant_IsExpired()
    {
        ConsentEvent[] events = [Given(Id, Now - (365 * Day), expiresAt: Now)];

        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Marketing, Now - TimeSpan.FromTicks(1)));
        Assert.Equal(EffectiveConsent.Expired, ConsentHistory.Evaluate(events, Marketing, Now));
        Assert.Equal(EffectiveConsent.Expired, ConsentHistory.Evaluate(events, Marketing, Now + Day));
    }

    [Fact]
    public void Evaluate_ExpiresAtSameInstantInOtherOffset_IsExpired()
    {
        ConsentEvent[] events = [Given(Id, Now - Day, expiresAt: Now.ToOffset(TimeSpan.FromHours(-5)))];

        Assert.Equal(EffectiveConsent.Expired, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_ExpiredEvent_IsExpired()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day)), Event(Id, ConsentState.Expired, Now - Day)];

        Assert.Equal(EffectiveConsent.Expired, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_Refused_IsRefused()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day)), Event(Id, ConsentState.Refused, Now - Day)];

        Assert.Equal(EffectiveConsent.Refused, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_GivenAgainAfterWithdrawal_IsGiven()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day)), Event(Id, ConsentState.Withdrawn, Now - (5 * Day)), Given(Id, Now - Day)];

        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_PurposeChangedAfterConsent_IsOutdatedVersion()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day), version: OldVersion)];
        var changed = Marketing with { Version = CurrentVersion };

        Assert.Equal(EffectiveConsent.OutdatedVersion, ConsentHistory.Evaluate(events, changed, Now));
        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Id, OldVersion, Now));
    }

    [Fact]
    public void Evaluate_ConsentRenewedForNewVersion_IsGiven()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day), version: OldVersion), Given(Id, Now - Day)];

        Assert.Equal(EffectiveConsent.Given, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_OldVersionGivenAfterCurrent_IsOutdatedVersion()
    {
        // The latest event decides: a later consent to the old notice does not leave the earlier one in force.
        ConsentEvent[] events = [Given(Id, Now - (10 * Day)), Given(Id, Now - Day, version: OldVersion)];

        Assert.Equal(EffectiveConsent.OutdatedVersion, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_WithdrawalForOldVersion_StillWithdraws()
    {
        // GDPR Art. 7(3): a withdrawal counts whatever notice the subject was looking at.
        ConsentEvent[] events = [Given(Id, Now - (10 * Day)), Event(Id, ConsentState.Withdrawn, Now - Day, version: OldVersion)];

        Assert.Equal(EffectiveConsent.Withdrawn, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_OldVersionAndExpired_IsOutdatedVersion()
    {
        ConsentEvent[] events = [Given(Id, Now - (10 * Day), version: OldVersion, expiresAt: Now - Day)];

        Assert.Equal(EffectiveConsent.OutdatedVersion, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void Evaluate_UnknownState_IsNone()
    {
        ConsentEvent[] events = [new(Id, CurrentVersion, (ConsentState)42, Now - Day, null)];

        Assert.Equal(EffectiveConsent.None, ConsentHistory.Evaluate(events, Marketing, Now));
    }

    [Fact]
    public void LatestAt_NullArguments_Throw()
    {
        Assert.Throws<ArgumentNullException>(() => ConsentHistory.LatestAt(null!, Id, Now));
        Assert.Throws<ArgumentNullException>(() => ConsentHistory.LatestAt([], null!, Now));
        Assert.Throws<ArgumentException>(() => ConsentHistory.LatestAt([null!], Id, Now));
        Assert.Throws<ArgumentNullException>(() => ConsentHistory.Evaluate([], (PurposeDefinition)null!, Now));
    }
}
