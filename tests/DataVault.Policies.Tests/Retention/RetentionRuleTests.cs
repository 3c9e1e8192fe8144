using DataVault.Policies.Retention;

namespace DataVault.Policies.Tests.Retention;

public sealed class RetentionRuleTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 15, 12, 0, 0, TimeSpan.Zero);

    // The shipped catalogue's periods: marketing and service two years, analytics one, invoicing ten.
    private static readonly Dictionary<string, IsoPeriod> Periods = new(StringComparer.Ordinal)
    {
        ["marketing-email"] = new IsoPeriod(2, 0, 0),
        ["service-delivery"] = new IsoPeriod(2, 0, 0),
        ["analytics"] = new IsoPeriod(1, 0, 0),
        ["legal-obligation-invoicing"] = new IsoPeriod(10, 0, 0),
    };

    private static readonly IsoPeriod Dispute = new(0, 0, 30);

    private static RetentionVerdict Decide(params PurposeBasis[] bases) => RetentionRule.Decide(bases, id => Periods[id], Now);

    private static DateTimeOffset YearsAgo(int years, int extraDays = 0) => Now.AddYears(-years).AddDays(-extraDays);

    public static TheoryData<string, PurposeBasis[], bool, DateTimeOffset?, string?, string> Table => new()
    {
        {
            "consent withdrawn, retention passed: destroyed",
            [PurposeBasis.Ended("analytics", YearsAgo(1, 1), BasisEnd.ConsentWithdrawn)],
            true, null, "analytics", RetentionReasons.RetentionEnded
        },
        {
            "consent withdrawn, retention ends exactly now: destroyed",
            [PurposeBasis.Ended("analytics", YearsAgo(1), BasisEnd.ConsentWithdrawn)],
            true, null, "analytics", RetentionReasons.RetentionEnded
        },
        {
            "consent withdrawn, retention running: kept until withdrawal + P1Y",
            [PurposeBasis.Ended("analytics", Now.AddMonths(-3), BasisEnd.ConsentWithdrawn)],
            false, Now.AddMonths(-3).AddYears(1), "analytics", RetentionReasons.RetentionRunning
        },
        {
            "consent refused long ago but another purpose still valid: kept",
            [PurposeBasis.Ended("marketing-email", YearsAgo(5), BasisEnd.ConsentRefused), PurposeBasis.Valid("service-delivery")],
            false, null, "service-delivery", RetentionReasons.PurposeValid
        },
        {
            "consent expired and relationship ended: the longest retention keeps it",
            [PurposeBasis.Ended("analytics", Now.AddMonths(-6), BasisEnd.ConsentExpired), PurposeBasis.Ended("service-delivery", YearsAgo(1), BasisEnd.RelationshipEnded)],
            false, YearsAgo(1).AddYears(2), "service-delivery", RetentionReasons.RetentionRunning
        },
        {
            "relationship ended and consent withdrawn, both passed: destroyed, named by the last to run out",
            [PurposeBasis.Ended("service-delivery", YearsAgo(3), BasisEnd.RelationshipEnded), PurposeBasis.Ended("analytics", YearsAgo(1, 10), BasisEnd.ConsentWithdrawn)],
            true, null, "analytics", RetentionReasons.RetentionEnded
        },
        {
            "objection upheld two years ago: destroyed",
            [PurposeBasis.Ended("marketing-email", YearsAgo(2, 1), BasisEnd.ObjectionUpheld)],
            true, null, "marketing-email", RetentionReasons.RetentionEnded
        },
        {
            "a consent never given does not keep the field nor count down",
            [PurposeBasis.NotStarted("marketing-email"), PurposeBasis.Ended("service-delivery", YearsAgo(3), BasisEnd.RelationshipEnded)],
            true, null, "service-delivery", RetentionReasons.RetentionEnded
        },
        {
            "no purpose ever had a basis: kept, nothing counts",
            [PurposeBasis.NotStarted("marketing-email"), PurposeBasis.NotStarted("analytics")],
            false, null, null, RetentionReasons.NoBasisRecorded
        },
        {
            "legal hold counted from the record: 9 years old invoice kept",
            [PurposeBasis.Ended("legal-obligation-invoicing", YearsAgo(9), BasisEnd.RecordWritten)],
            false, YearsAgo(9).AddYears(10), "legal-obligation-invoicing", RetentionReasons.RetentionRunning
        },
        {
            "legal hold counted from the record: 10 years and a day old invoice destroyed",
            [PurposeBasis.Ended("legal-obligation-invoicing", YearsAgo(10, 1), BasisEnd.RecordWritten)],
            true, null, "legal-obligation-invoicing", RetentionReasons.RetentionEnded
        },
    };

    [Theory]
    [MemberData(nameof(Table))]
    public void Decide_Table(string scenario, PurposeBasis[] bases, bool destroy, DateTimeOffset? keepUntil, string? purpose, string because)
    {
        var verdict = Decide(bases);

        Assert.Equal(new RetentionVerdict(destroy, keepUntil, purpose, because), verdict);
        Assert.False(string.IsNullOrEmpty(scenario));
    }

    [Fact]
    public void Decide_BasesInAnyOrder_NameTheSamePurpose()
    {
        var valid = new[] { PurposeBasis.Valid("service-delivery"), PurposeBasis.Valid("marketing-email") };

        Assert.Equal(Decide(valid), Decide([.. valid.Reverse()]));
        Assert.Equal("marketing-email", Decide(valid).PurposeId);
    }

    [Fact]
    public void DecideSuperseded_DisputePeriodPassed_Destroyed()
    {
        var verdict = RetentionRule.DecideSuperseded(Now.AddDays(-31), Dispute, [], id => Periods[id], Now);

        Assert.Equal(new RetentionVerdict(true, null, null, RetentionReasons.Superseded), verdict);
    }

    [Fact]
    public void DecideSuperseded_WithinDisputePeriod_KeptUntilItEnds()
    {
        var verdict = RetentionRule.DecideSuperseded(Now.AddDays(-10), Dispute, [], id => Periods[id], Now);

        Assert.Equal(new RetentionVerdict(false, Now.AddDays(20), null, RetentionReasons.Superseded), verdict);
    }

    [Fact]
    public void DecideSuperseded_LegalHoldFromItsOwnRecord_OutlastsTheDisputePeriod()
    {
        var written = YearsAgo(3);
        var verdict = RetentionRule.DecideSuperseded(
            YearsAgo(2),
            Dispute,
            [PurposeBasis.Ended("legal-obligation-invoicing", written, BasisEnd.RecordWritten)],
            id => Periods[id],
            Now);

        Assert.Equal(new RetentionVerdict(false, written.AddYears(10), "legal-obligation-invoicing", RetentionReasons.RetentionRunning), verdict);
    }

    [Fact]
    public void DecideSuperseded_LegalHoldOfItsRecordOver_Destroyed()
    {
        var verdict = RetentionRule.DecideSuperseded(
            YearsAgo(5),
            Dispute,
            [PurposeBasis.Ended("legal-obligation-invoicing", YearsAgo(11), BasisEnd.RecordWritten)],
            id => Periods[id],
            Now);

        Assert.True(verdict.Destroy);
        Assert.Equal(RetentionReasons.Superseded, verdict.Because);
    }

    [Fact]
    public void DecideSuperseded_LegalObligationWithoutARecord_DoesNotHoldTheVersion()
    {
        var verdict = RetentionRule.DecideSuperseded(
            Now.AddDays(-31), Dispute, [PurposeBasis.NotStarted("legal-obligation-invoicing")], id => Periods[id], Now);

        Assert.True(verdict.Destroy);
    }
}
