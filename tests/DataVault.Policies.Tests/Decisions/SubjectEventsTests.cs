using DataVault.Policies.Decisions;
using static DataVault.Policies.Tests.Decisions.DecisionFixtures;

namespace DataVault.Policies.Tests.Decisions;

/// <summary>
/// The restriction and objections of a subject at an instant, derived from its events: per restriction and per
/// objection target the latest event that had taken effect decides; later events do not count yet.
/// </summary>
public sealed class SubjectEventsTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    [Fact]
    public void StateAt_NoEvents_IsTheActiveState()
    {
        var state = new SubjectEvents([], [], []).StateAt(Now);

        Assert.Same(SubjectPolicyState.Active, state);
    }

    [Fact]
    public void StateAt_Erased_IsErasedWithoutAnyEvent()
    {
        var state = new SubjectEvents([], [], [], erased: true).StateAt(Now);

        Assert.True(state.Erased);
        Assert.False(state.Restricted);
    }

    [Theory]
    [InlineData(-30, false)]
    [InlineData(-20, true)]
    [InlineData(-15, true)]
    [InlineData(-10, false)]
    [InlineData(0, false)]
    [InlineData(5, true)]
    public void StateAt_RestrictedThenLiftedThenRestrictedAgain_TheLatestEventByThenDecides(int days, bool restricted)
    {
        // Given newest first: the order the events arrive in does not matter.
        var subject = new SubjectEvents(
            [Restriction("r3", restricts: true, Now + (5 * Day)), Restriction("r2", restricts: false, Now - (10 * Day)), Restriction("r1", restricts: true, Now - (20 * Day))],
            [],
            []);

        Assert.Equal(restricted, subject.StateAt(Now + (days * Day)).Restricted);
    }

    [Theory]
    [InlineData("r1", "r2", false)]
    [InlineData("r2", "r1", true)]
    public void StateAt_TwoRestrictionEventsAtTheSameInstant_TheOneWithTheLaterIdWins(string restrictId, string liftId, bool restricted)
    {
        var subject = new SubjectEvents([Restriction(liftId, restricts: false, Now - Day), Restriction(restrictId, restricts: true, Now - Day)], [], []);

        Assert.Equal(restricted, subject.StateAt(Now).Restricted);
    }

    [Fact]
    public void StateAt_EventAtTheInstantItself_AlreadyCounts()
    {
        var subject = new SubjectEvents([Restriction("r1", restricts: true, Now)], [Objection("o1", "analytics", objects: true, Now)], []);

        var state = subject.StateAt(Now);

        Assert.True(state.Restricted);
        Assert.Contains("analytics", state.ObjectedPurposes);
    }

    [Fact]
    public void StateAt_Objections_EachPurposeAndAllProcessingFollowTheirOwnLatestEvent()
    {
        var subject = new SubjectEvents(
            [],
            [
                Objection("o1", "analytics", objects: true, Now - (20 * Day)),
                Objection("o2", "analytics", objects: false, Now - (10 * Day)),
                Objection("o3", "marketing-email", objects: true, Now - (15 * Day)),
                Objection("o4", null, objects: true, Now - (30 * Day)),
                Objection("o5", null, objects: false, Now - (5 * Day)),
                Objection("o6", "personalisation", objects: true, Now + Day),
            ],
            []);

        var now = subject.StateAt(Now);
        var earlier = subject.StateAt(Now - (12 * Day));

        Assert.Equal(["marketing-email"], now.ObjectedPurposes.Order(StringComparer.Ordinal));
        Assert.False(now.ObjectsToAll);
        Assert.Equal(["analytics", "marketing-email"], earlier.ObjectedPurposes.Order(StringComparer.Ordinal));
        Assert.True(earlier.ObjectsToAll);
    }

    [Fact]
    public void StateAt_LiftOfAnObjectionToAllProcessing_DoesNotLiftAnObjectionToOnePurpose()
    {
        var subject = new SubjectEvents(
            [],
            [Objection("o1", "analytics", objects: true, Now - (3 * Day)), Objection("o2", null, objects: true, Now - (2 * Day)), Objection("o3", null, objects: false, Now - Day)],
            []);

        var state = subject.StateAt(Now);

        Assert.False(state.ObjectsToAll);
        Assert.Equal(["analytics"], state.ObjectedPurposes);
    }

    [Fact]
    public void Decide_ConsentBasis_UsesTheStateAtTheInstantOfTheDecision()
    {
        var purpose = new CompiledPurpose(Purpose("analytics", LawfulBasis.Consent, "email"));
        var subject = new SubjectEvents(
            [Restriction("r1", restricts: true, Now + Day)],
            [Objection("o1", "analytics", objects: true, Now - (2 * Day)), Objection("o2", "analytics", objects: false, Now - Day)],
            [Given("analytics", Now - (3 * Day))]);

        Assert.Equal(["email"], subject.Decide(purpose, ["email"], Now).Released);
        Assert.True(subject.MayProcess(purpose, Now));
        Assert.Equal(WithheldReason.Objected, subject.Decide(purpose, ["email"], Now - (2 * Day)).Reason);
        Assert.Equal(WithheldReason.Restricted, subject.Decide(purpose, ["email"], Now + Day).Reason);
        Assert.False(subject.MayProcess(purpose, Now + Day));
    }

    [Fact]
    public void VersionAt_TheLatestVersionInForceByThen_ElseTheEarliestKnown()
    {
        var history = new PurposeVersionHistory(
        [
            new PurposeVersionInForce("analytics", "v2", Now - (10 * Day)),
            new PurposeVersionInForce("analytics", "v1", Now - (100 * Day)),
            new PurposeVersionInForce("analytics", "v3", Now + Day),
            new PurposeVersionInForce("marketing-email", "m1", Now - Day),
        ]);

        Assert.Equal("v2", history.VersionAt("analytics", Now));
        Assert.Equal("v2", history.VersionAt("analytics", Now - (10 * Day)));
        Assert.Equal("v1", history.VersionAt("analytics", Now - (11 * Day)));
        Assert.Equal("v3", history.VersionAt("analytics", Now + Day));
        Assert.Equal("v1", history.VersionAt("analytics", Now - (1000 * Day)));
        Assert.Equal("m1", history.VersionAt("marketing-email", Now));
        Assert.Null(history.VersionAt("personalisation", Now));
    }

    private static RestrictionEvent Restriction(string id, bool restricts, DateTimeOffset at) => new(id, restricts, at);

    private static ObjectionEvent Objection(string id, string? purposeId, bool objects, DateTimeOffset at) => new(id, purposeId, objects, at);
}
