using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Collections.ObjectModel;
using DataVault.Policies.Decisions;
using DataVault.Testing;
using static DataVault.Policies.Tests.Decisions.DecisionFixtures;

namespace DataVault.Policies.Tests.Decisions;

public sealed class ReleasePolicyTests
{
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

    private static readonly PolicyCatalogue Shipped = PolicyCatalogueLoader.Load(TestPaths.Catalogue);

    private static readonly PurposeDefinition Marketing =
        Purpose("marketing-email", LawfulBasis.Consent, "email", "given_name", "preferred_language", "interests");

    [Fact]
    public void Decide_WithdrawnAtTheInstant_WithholdsAtOnce()
    {
        var withdrawnAt = Now;
        ConsentEvent[] events = [Given(Marketing.Id, Now - (30 * Day)), Event(Marketing.Id, ConsentState.Withdrawn, withdrawnAt)];
        string[] stored = ["email"];

        var before = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, stored, withdrawnAt - TimeSpan.FromTicks(1));
        var at = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, stored, withdrawnAt);

        Assert.Equal(["email"], before.Released);
        Assert.True(before.LawfulBasisHolds);
        Assert.Empty(at.Released);
        Assert.Equal([new WithheldField("email", WithheldReason.NoConsent)], at.Withheld);
        Assert.False(at.LawfulBasisHolds);
    }

    [Fact]
    public void Decide_StoredInOtherOrder_ReleasesInPurposeOrder()
    {
        ConsentEvent[] events = [Given(Marketing.Id, Now - Day)];
        string[] stored = ["interests", "email", "preferred_language", "given_name"];

        var decision = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, stored, Now);

        Assert.Equal(["email", "given_name", "preferred_language", "interests"], decision.Released);
        Assert.Empty(decision.Withheld);
    }

    [Fact]
    public void Decide_FieldsNotStored_AreNotMentioned()
    {
        ConsentEvent[] events = [Given(Marketing.Id, Now - Day)];
        string[] stored = ["interests", "tax_id", "email"];

        var released = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, stored, Now);
        var withheld = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, [], stored, Now);

        Assert.Equal(["email", "interests"], released.Released);
        Assert.Equal([new WithheldField("tax_id", WithheldReason.NotInPurpose)], released.Withheld);
        Assert.Empty(withheld.Released);
        Assert.Equal(
            [
                new WithheldField("email", WithheldReason.NoConsent),
                new WithheldField("interests", WithheldReason.NoConsent),
                new WithheldField("tax_id", WithheldReason.NotInPurpose),
            ],
            withheld.Withheld);
    }

    [Fact]
    public void Decide_NothingStored_ReleasesNothingButReportsBasis()
    {
        ConsentEvent[] events = [Given(Marketing.Id, Now - Day)];

        var decision = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, [], Now);

        Assert.Empty(decision.Released);
        Assert.Empty(decision.Withheld);
        Assert.True(decision.LawfulBasisHolds);
        Assert.Null(decision.Reason);
        Assert.Equal(Marketing.Id, decision.PurposeId);
    }

    [Fact]
    public void Decide_ErasedWithUnlistedField_WithholdsEveryFieldAsErased()
    {
        var subject = Subject(erased: true, restricted: true);
        string[] stored = ["tax_id", "email"];

        var decision = ReleasePolicy.Decide(Marketing, subject, [Given(Marketing.Id, Now - Day)], stored, Now);

        Assert.Equal(
            [new WithheldField("email", WithheldReason.Erased), new WithheldField("tax_id", WithheldReason.Erased)],
            decision.Withheld);
        Assert.Equal(WithheldReason.Erased, decision.Reason);
    }

    [Fact]
    public void Decide_RestrictedWithUnlistedField_WithholdsEveryFieldAsRestricted()
    {
        var subject = Subject(restricted: true);
        string[] stored = ["tax_id", "email"];

        var decision = ReleasePolicy.Decide(Marketing, subject, [Given(Marketing.Id, Now - Day)], stored, Now);

        Assert.Equal(
            [new WithheldField("email", WithheldReason.Restricted), new WithheldField("tax_id", WithheldReason.Restricted)],
            decision.Withheld);
        Assert.False(decision.LawfulBasisHolds);
    }

    [Fact]
    public void Decide_DuplicateStoredNames_ReportsEachOnce()
    {
        ConsentEvent[] events = [Given(Marketing.Id, Now - Day)];
        string[] stored = ["email", "tax_id", "email", "tax_id", "phone"];

        var decision = ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, events, stored, Now);

        Assert.Equal(["email"], decision.Released);
        Assert.Equal(
            [new WithheldField("tax_id", WithheldReason.NotInPurpose), new WithheldField("phone", WithheldReason.NotInPurpose)],
            decision.Withheld);
    }

    public static TheoryData<string> CollectionKinds() => ["array", "list", "hash-set", "frozen-set", "read-only", "immutable", "lazy"];

    [Theory]
    [MemberData(nameof(CollectionKinds))]
    public void Decide_AnyCollectionOfStoredNames_SameDecision(string kind)
    {
        string[] names = ["phone", "interests", "email", "tax_id"];
        IReadOnlyCollection<string> stored = kind switch
        {
            "array" => names,
            "list" => names.ToList(),
            "hash-set" => names.ToHashSet(StringComparer.Ordinal),
            "frozen-set" => names.ToFrozenSet(StringComparer.Ordinal),
            "read-only" => new ReadOnlyCollection<string>(names),
            "immutable" => names.ToImmutableArray(),
            _ => new LazyCollection(names),
        };
        ConsentEvent[] events = [Given(Marketing.Id, Now - Day)];

        var decision = ReleasePolicy.Decide(new CompiledPurpose(Marketing), SubjectPolicyState.Active, events, stored, Now);

        Assert.Equal(["email", "interests"], decision.Released);
        Assert.Equal(["phone", "tax_id"], decision.Withheld.Select(w => w.Field).Order(StringComparer.Ordinal));
        Assert.All(decision.Withheld, w => Assert.Equal(WithheldReason.NotInPurpose, w.Reason));
    }

    [Fact]
    public void Decide_LargePurpose_MarksOnTheHeap()
    {
        var fields = Enumerable.Range(0, 100).Select(i => $"field_{i:D3}").ToArray();
        var purpose = Purpose("big", LawfulBasis.Contract, fields);
        string[] stored = [fields[99], fields[0], fields[64], "other"];

        var decision = ReleasePolicy.Decide(purpose, SubjectPolicyState.Active, [], stored, Now);

        Assert.Equal([fields[0], fields[64], fields[99]], decision.Released);
        Assert.Equal([new WithheldField("other", WithheldReason.NotInPurpose)], decision.Withheld);
    }

    [Fact]
    public void Decide_UnknownLawfulBasis_FailsClosed()
    {
        var purpose = Purpose("future", (LawfulBasis)99, "email");

        var decision = ReleasePolicy.Decide(purpose, SubjectPolicyState.Active, [Given("future", Now - Day)], ["email"], Now);

        Assert.Empty(decision.Released);
        Assert.False(decision.LawfulBasisHolds);
    }

    [Fact]
    public void Decide_ShippedMarketingEmailWithConsent_ReleasesListedFieldsOnly()
    {
        var purpose = Shipped.Purposes["marketing-email"];
        ConsentEvent[] events = [Given(purpose.Id, Now - Day, version: purpose.Version)];
        string[] stored = ["tax_id", "given_name", "email", "birth_date"];

        var decision = ReleasePolicy.Decide(purpose, SubjectPolicyState.Active, events, stored, Now);

        Assert.Equal(["email", "given_name"], decision.Released);
        Assert.Equal(
            [new WithheldField("tax_id", WithheldReason.NotInPurpose), new WithheldField("birth_date", WithheldReason.NotInPurpose)],
            decision.Withheld);
    }

    [Fact]
    public void Decide_ShippedPartnerSharingWithGpcObjection_WithholdsObjected()
    {
        // The vault turns a Global Privacy Control signal into an objection to every purpose with gpc_objection.
        var purpose = Shipped.Purposes["partner-sharing"];
        Assert.True(purpose.GpcObjection);
        ConsentEvent[] events = [Given(purpose.Id, Now - Day, version: purpose.Version)];
        var subject = Subject(objectsToAll: false, objectedPurposes: [purpose.Id]);

        var decision = ReleasePolicy.Decide(purpose, subject, events, ["email", "interests"], Now);

        Assert.Empty(decision.Released);
        Assert.Equal(
            [new WithheldField("email", WithheldReason.Objected), new WithheldField("interests", WithheldReason.Objected)],
            decision.Withheld);
    }

    [Fact]
    public void Decide_ShippedContractAndLegalObligationWithObjectionToAll_Release()
    {
        var subject = Subject(objectsToAll: true, objectedPurposes: ["service-delivery", "legal-obligation-invoicing"]);
        var compiled = CompiledPurpose.CompileAll(Shipped);

        var service = ReleasePolicy.Decide(compiled["service-delivery"], subject, [], ["phone", "email"], Now);
        var invoicing = ReleasePolicy.Decide(compiled["legal-obligation-invoicing"], subject, [], ["tax_id", "email"], Now);

        Assert.Equal(["email", "phone"], service.Released);
        Assert.Equal(["tax_id", "email"], invoicing.Released);
    }

    [Fact]
    public void Decide_ShippedConsentPurposeWithOldVersionConsent_WithholdsNoConsent()
    {
        var purpose = Shipped.Purposes["analytics"];
        ConsentEvent[] events = [Given(purpose.Id, Now - Day, version: "0000000000000000")];

        var decision = ReleasePolicy.Decide(purpose, SubjectPolicyState.Active, events, ["birth_date"], Now);

        Assert.Equal([new WithheldField("birth_date", WithheldReason.NoConsent)], decision.Withheld);
    }

    [Fact]
    public void Decide_NullArguments_Throw()
    {
        string[] stored = ["email"];
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide((PurposeDefinition)null!, SubjectPolicyState.Active, [], stored, Now));
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide((CompiledPurpose)null!, SubjectPolicyState.Active, [], stored, Now));
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide(Marketing, null!, [], stored, Now));
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, null!, stored, Now));
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, [], null!, Now));
        Assert.Throws<ArgumentNullException>(() => ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active with { ObjectedPurposes = null! }, [], stored, Now));
        Assert.Throws<ArgumentException>(() => ReleasePolicy.Decide(Marketing, SubjectPolicyState.Active, [], [null!], Now));
    }

    [Fact]
    public void CompiledPurpose_FieldListedTwice_Throws()
    {
        var purpose = Purpose("twice", LawfulBasis.Contract, "email", "phone", "email");

        var error = Assert.Throws<ArgumentException>(() => new CompiledPurpose(purpose));

        Assert.Contains("'email'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CompiledPurpose_Definition_KeepsOrderAndLookups()
    {
        var compiled = new CompiledPurpose(Marketing);

        Assert.Equal(Marketing.Fields, compiled.Fields);
        Assert.Equal(Marketing.Version, compiled.Version);
        Assert.True(compiled.Lists("interests"));
        Assert.False(compiled.Lists("Interests"));
        Assert.Equal(Shipped.Purposes.Count, CompiledPurpose.CompileAll(Shipped).Count);
    }

    /// <summary>A collection that is neither a list nor an <see cref="ICollection{T}"/>: only enumeration and Count.</summary>
    private sealed class LazyCollection(string[] names) : IReadOnlyCollection<string>
    {
        public int Count => names.Length;

        public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)names).GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
