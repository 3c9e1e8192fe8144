using System.Collections.Frozen;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Release;

/// <summary>A subject as released for one purpose: the values that may be used, and the names of the rest with a reason.</summary>
public sealed record ReleasedSubject(
    string SubjectId,
    string PurposeId,
    string PurposeVersion,
    IReadOnlyList<FieldSnapshot> Released,
    IReadOnlyList<WithheldField> Withheld);

/// <summary>One page of a purpose export; <see cref="NextCursor"/> is null after the last page.</summary>
public sealed record ReleasePage(IReadOnlyList<ReleasedSubject> Items, string? NextCursor);

/// <summary>The purposes of the catalogue, compiled once for fast decisions.</summary>
internal sealed class CompiledPurposes(PolicyCatalogue catalogue)
{
    public FrozenDictionary<string, CompiledPurpose> All { get; } = CompiledPurpose.CompileAll(catalogue);
}

/// <summary>
/// Consent-filtered exports and look-ups, under the rule of the consented read (<see cref="ReleaseReader"/>): a
/// field leaves the vault only when the purpose lists it, the lawful basis holds now, and the subject is neither
/// restricted nor erased. The inputs come from <see cref="ReleaseLoader"/>, the decision from the policies
/// (<see cref="SubjectEvents"/>). Only released fields are decrypted; withheld ones are named, never valued.
/// </summary>
public sealed class ReleaseService
{
    private readonly CompiledPurposes purposes;
    private readonly ReleaseLoader loader;
    private readonly DataKeyStore keys;
    private readonly TimeProvider time;

    internal ReleaseService(CompiledPurposes purposes, ReleaseLoader loader, DataKeyStore keys, TimeProvider time)
    {
        this.purposes = purposes;
        this.loader = loader;
        this.keys = keys;
        this.time = time;
    }

    public const int MaxPageSize = 500;

    /// <summary>How many subjects one page may examine, so a page of a rarely-consented purpose still returns promptly.</summary>
    private const int ScanFactor = 10;

    /// <summary>
    /// Every subject released for the purpose, in subject-id order after <paramref name="cursor"/>.
    /// Ids are time-ordered (UUIDv7) and the cursor is the last id examined, so a subject created or
    /// changed while a client pages through appears at most once and none is skipped.
    /// </summary>
    public async Task<ReleasePage> ListAsync(string purposeId, string? cursor, int pageSize, CancellationToken cancellationToken)
    {
        var purpose = purposes.All[purposeId];
        var now = time.GetUtcNow();
        var scanned = loader.ReadPage(purpose, cursor, (pageSize * ScanFactor) + 1);
        var more = scanned.Count > pageSize * ScanFactor;
        if (more)
        {
            scanned.RemoveAt(scanned.Count - 1);
        }

        var items = new List<ReleasedSubject>(pageSize);
        string? last = null;
        foreach (var snapshot in scanned)
        {
            last = snapshot.SubjectId;
            var decision = snapshot.Events.Decide(purpose, snapshot.FieldNames, now);
            var found = new Dictionary<string, DataKey?>(StringComparer.Ordinal);
            foreach (var group in decision.Released.Select(name => snapshot.Listed(name)?.KeyGroup).OfType<string>().Distinct(StringComparer.Ordinal))
            {
                found[group] = await keys.FindAsync(snapshot.SubjectId, group, cancellationToken);
            }

            var released = ReleaseReader.Release(purpose, snapshot, decision, group => found.GetValueOrDefault(group));
            if (released.Released.Count > 0)
            {
                items.Add(released);
                if (items.Count == pageSize)
                {
                    break;
                }
            }
        }

        var exhausted = !more && (last is null || last == scanned[^1].SubjectId);
        return new ReleasePage(items, exhausted ? null : last);
    }

    /// <summary>
    /// Those of <paramref name="subjectIds"/> (found by a look-up, at most a page of them) that the purpose may
    /// process now: its lawful basis holds, no objection stands against it, and the subject is neither
    /// restricted nor erased (<see cref="ReleaseDecision.LawfulBasisHolds"/>), judged by the same rule and the
    /// same inputs as a read or an export. Order is kept.
    /// </summary>
    public Task<IReadOnlyList<string>> ProcessableAsync(string purposeId, IReadOnlyList<string> subjectIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectIds);
        cancellationToken.ThrowIfCancellationRequested();
        var purpose = purposes.All[purposeId];
        var now = time.GetUtcNow();
        var snapshots = loader.ReadSubjects(subjectIds, purpose.Id);
        IReadOnlyList<string> processable = subjectIds
            .Where(id => snapshots.TryGetValue(id, out var snapshot) && !snapshot.Erased && snapshot.Events.MayProcess(purpose, now))
            .ToList();
        return Task.FromResult(processable);
    }
}
