using System.Collections.Frozen;
using BenchmarkDotNet.Attributes;
using DataVault.Policies;
using DataVault.Policies.Decisions;

namespace DataVault.Bench;

/// <summary>
/// One consent-filtered read decision (<see cref="ReleasePolicy.Decide(CompiledPurpose, SubjectPolicyState, IReadOnlyList{ConsentEvent}, IReadOnlyCollection{string}, DateTimeOffset)"/>)
/// for a subject with values in all 20 fields of a synthetic catalogue of 10 purposes, and 4 consent events per
/// purpose over 3 purpose versions (40 events, in append order, all purposes interleaved). This is the per-subject cost
/// of a campaign export; the goal is under 20 µs per decision and a few small allocations (the result).
/// </summary>
[MemoryDiagnoser]
public class PolicyDecisionBenchmark
{
    private const int FieldCount = 20;
    private const int PurposeCount = 10;
    private const int FieldsPerPurpose = 6;

    private static readonly DateTimeOffset Now = new(2025, 6, 15, 12, 0, 0, TimeSpan.Zero);

    private PurposeDefinition[] purposes = [];
    private CompiledPurpose[] compiled = [];
    private ConsentEvent[] events = [];
    private string[] storedFields = [];
    private SubjectPolicyState subject = SubjectPolicyState.Active;

    [GlobalSetup]
    public void Setup()
    {
        storedFields = [.. Enumerable.Range(0, FieldCount).Select(i => $"field_{i:D2}")];

        // 6 consent purposes (the common case in a marketing vault) and one of every other basis.
        LawfulBasis[] bases =
        [
            LawfulBasis.Consent, LawfulBasis.Consent, LawfulBasis.Consent, LawfulBasis.Consent, LawfulBasis.Consent,
            LawfulBasis.Consent, LawfulBasis.Contract, LawfulBasis.LegalObligation, LawfulBasis.PublicTask,
            LawfulBasis.LegitimateInterests,
        ];
        var text = new Dictionary<string, LocalizedText> { ["en"] = new("Synthetic", "A synthetic purpose for benchmarks.") };
        purposes = new PurposeDefinition[PurposeCount];
        for (var p = 0; p < PurposeCount; p++)
        {
            // Each purpose lists 6 of the 20 fields, spread over the catalogue and not in catalogue order.
            var fields = Enumerable.Range(0, FieldsPerPurpose).Select(k => storedFields[((p * 7) + (k * 3)) % FieldCount]).ToArray();
            purposes[p] = new PurposeDefinition(
                $"purpose-{p}", bases[p], fields, new IsoPeriod(2, 0, 0), GpcObjection: false, text, Version: $"p{p}-v3");
        }

        compiled = [.. purposes.Select(p => new CompiledPurpose(p))];

        // Per purpose: given v1, withdrawn, given v2, given v3 (current, expiring in a year); purpose-5 was then
        // withdrawn, so one consent purpose is withheld. Events are appended round by round across purposes.
        var log = new List<ConsentEvent>();
        var start = Now.AddDays(-400);
        for (var round = 0; round < 4; round++)
        {
            for (var p = 0; p < PurposeCount; p++)
            {
                var at = start.AddDays((round * 90) + p);
                log.Add(round switch
                {
                    0 => new ConsentEvent(purposes[p].Id, $"p{p}-v1", ConsentState.Given, at, null),
                    1 => new ConsentEvent(purposes[p].Id, $"p{p}-v1", ConsentState.Withdrawn, at, null),
                    2 => new ConsentEvent(purposes[p].Id, $"p{p}-v2", ConsentState.Given, at, at.AddYears(1)),
                    _ => p == 5
                        ? new ConsentEvent(purposes[p].Id, $"p{p}-v3", ConsentState.Withdrawn, at, null)
                        : new ConsentEvent(purposes[p].Id, $"p{p}-v3", ConsentState.Given, at, Now.AddYears(1)),
                });
            }
        }

        events = [.. log];

        // An Art. 21 objection to the legitimate-interests purpose.
        subject = new SubjectPolicyState(
            Restricted: false, Erased: false, new[] { purposes[9].Id }.ToFrozenSet(StringComparer.Ordinal), ObjectsToAll: false);
    }

    /// <summary>One decision, compiled purpose, consent basis: scans the 40 events, releases 6 fields, withholds 14.</summary>
    [Benchmark(Baseline = true)]
    public ReleaseDecision DecideOnePurpose() =>
        ReleasePolicy.Decide(compiled[0], subject, events, storedFields, Now);

    /// <summary>The same decision through the <see cref="PurposeDefinition"/> overload (linear field search).</summary>
    [Benchmark]
    public ReleaseDecision DecideOnePurposeFromDefinition() =>
        ReleasePolicy.Decide(purposes[0], subject, events, storedFields, Now);

    /// <summary>All 10 purposes for the subject, compiled: what a full "who may see what" report costs.</summary>
    [Benchmark]
    public int DecideAllPurposes()
    {
        var released = 0;
        for (var p = 0; p < compiled.Length; p++)
        {
            released += ReleasePolicy.Decide(compiled[p], subject, events, storedFields, Now).Released.Count;
        }

        return released;
    }
}
