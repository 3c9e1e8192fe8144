using DataVault.Vault.Audit;
using DataVault.Vault.Consents;

namespace DataVault.Vault.Tests;

/// <summary>Who may lift a restriction or an objection, decided from the events in force and who asks.</summary>
public sealed class ChoiceLiftsTests
{
    private static readonly Actor Crm = Actor.Client("crm");

    public static TheoryData<string, string, string, string?, bool, bool> Cases => new()
    {
        // lifter, recorded by (type), recorded by (id), source, direct marketing, may lift
        { "crm", "client", "crm", ChoiceSources.Api, false, true },
        { "crm", "client", "shop", ChoiceSources.Api, false, false },
        { "crm", "client", "crm", ChoiceSources.Gpc, false, false },
        { "crm", "subject", "s-1", ChoiceSources.Portal, false, false },
        { "crm", "officer", "o-1", ChoiceSources.Desk, false, false },
        { "crm", "client", "crm", ChoiceSources.Api, true, false },
        { "crm", "client", "crm", null, false, true },
        { "crm", "subject", "s-1", null, false, false },
        { "subject", "client", "crm", ChoiceSources.Gpc, true, true },
        { "subject", "officer", "o-1", ChoiceSources.Desk, true, true },
        { "officer", "subject", "s-1", ChoiceSources.Portal, true, true },
        { "officer", "client", "shop", ChoiceSources.Gpc, false, true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Refusal_DependsOnWhoRecordedTheChoiceAndWhoLiftsIt(string lifter, string actorType, string actorId, string? source, bool directMarketing, bool mayLift)
    {
        var who = lifter switch
        {
            "subject" => Actor.Subject("s-1"),
            "officer" => Actor.Officer("o-1"),
            _ => Actor.Client(lifter),
        };

        var refusal = ChoiceLifts.Refusal(who, [new ChoiceInForce(actorType, actorId, source)], directMarketing);

        Assert.Equal(mayLift, refusal is null);
    }

    [Fact]
    public void Refusal_OneProtectedEventAmongOthers_Refuses()
    {
        // A client recording the objection again does not make the subject's own objection its to lift.
        ChoiceInForce[] inForce = [new("subject", "s-1", ChoiceSources.Portal), new("client", "crm", ChoiceSources.Api)];

        Assert.NotNull(ChoiceLifts.Refusal(Crm, inForce, directMarketing: false));
    }

    [Fact]
    public void Refusal_NothingInForce_IsNoRefusal()
    {
        Assert.Null(ChoiceLifts.Refusal(Crm, [], directMarketing: true));
    }
}
