using System.Collections.Frozen;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Consents;

/// <summary>A subject as released for one purpose: the values that may be used, and the names of the rest with a reason.</summary>
internal sealed record ReleasedSubject(
    string SubjectId,
    string PurposeId,
    string PurposeVersion,
    IReadOnlyList<FieldSnapshot> Released,
    IReadOnlyList<WithheldField> Withheld);

/// <summary>One page of a purpose export; <see cref="NextCursor"/> is null after the last page.</summary>
internal sealed record ReleasePage(IReadOnlyList<ReleasedSubject> Items, string? NextCursor);

/// <summary>The purposes of the catalogue, compiled once for fast decisions.</summary>
internal sealed class CompiledPurposes(PolicyCatalogue catalogue)
{
    public FrozenDictionary<string, CompiledPurpose> All { get; } = CompiledPurpose.CompileAll(catalogue);
}

/// <summary>
/// Consent-filtered exports, the core rule (ARCHITECTURE.md): a field leaves the vault only when the
/// purpose lists it, the lawful basis holds now, and the subject is neither restricted nor erased.
/// Only released fields are decrypted; withheld ones are named, never valued. The read of one subject
/// is <see cref="ReleaseReader"/>.
/// </summary>
internal sealed class ReleaseService(
    VaultDbContext db,
    CompiledPurposes purposes,
    DataKeyStore keys,
    TimeProvider time)
{
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
        var scanned = await db.Subjects.AsNoTracking()
            .Where(s => s.ErasedAt == null && (cursor == null || s.Id.CompareTo(cursor) > 0))
            .OrderBy(s => s.Id)
            .Select(s => s.Id)
            .Take((pageSize * ScanFactor) + 1)
            .ToListAsync(cancellationToken);
        var more = scanned.Count > pageSize * ScanFactor;
        if (more)
        {
            scanned.RemoveAt(scanned.Count - 1);
        }

        var inputs = await LoadAsync(purpose, scanned, withValues: true, cancellationToken);
        var items = new List<ReleasedSubject>(pageSize);
        string? last = null;
        foreach (var subjectId in scanned)
        {
            last = subjectId;
            var stored = inputs.Values[subjectId].OrderBy(v => v.Field, StringComparer.Ordinal).ToList();
            var released = await ReleaseAsync(subjectId, purpose, inputs.Policy(subjectId, now), inputs.Events(subjectId), stored, now, cancellationToken);
            if (released.Released.Count > 0)
            {
                items.Add(released);
                if (items.Count == pageSize)
                {
                    break;
                }
            }
        }

        var exhausted = !more && (last is null || last == scanned[^1]);
        return new ReleasePage(items, exhausted ? null : last);
    }

    /// <summary>
    /// Those of <paramref name="subjectIds"/> (found by a look-up, at most a page of them) that the purpose may
    /// process now: its lawful basis holds, no objection stands against it, and the subject is neither
    /// restricted nor erased (<see cref="ReleaseDecision.LawfulBasisHolds"/>), judged by the same rule and the
    /// same inputs as a read or an export. Order is kept.
    /// </summary>
    public async Task<IReadOnlyList<string>> ProcessableAsync(string purposeId, IReadOnlyList<string> subjectIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjectIds);
        if (subjectIds.Count == 0)
        {
            return [];
        }

        var purpose = purposes.All[purposeId];
        var now = time.GetUtcNow();
        var inputs = await LoadAsync(purpose, subjectIds, withValues: false, cancellationToken);
        return subjectIds
            .Where(id => ReleasePolicy.Decide(purpose, inputs.Policy(id, now), inputs.Events(id), [], now).LawfulBasisHolds)
            .ToList();
    }

    /// <summary>
    /// What the release decision needs for many subjects at once, in one read each: their consent events for the
    /// purpose, restriction and objection events, and (with <paramref name="withValues"/>) the latest stored
    /// version of each field the purpose lists.
    /// </summary>
    private async Task<ReleaseInputs> LoadAsync(CompiledPurpose purpose, IReadOnlyList<string> subjectIds, bool withValues, CancellationToken cancellationToken)
    {
        var ids = subjectIds as List<string> ?? [.. subjectIds];
        var fields = purpose.Fields.ToList();
        var consentRecords = await db.ConsentEvents.AsNoTracking()
            .Where(e => ids.Contains(e.SubjectId) && e.PurposeId == purpose.Id)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        var objections = await db.ObjectionEvents.AsNoTracking().Where(o => ids.Contains(o.SubjectId)).ToListAsync(cancellationToken);
        var restrictions = await db.RestrictionEvents.AsNoTracking().Where(r => ids.Contains(r.SubjectId)).ToListAsync(cancellationToken);
        var values = withValues
            ? await db.LatestFieldVersions().Where(v => ids.Contains(v.SubjectId) && fields.Contains(v.Field)).ToListAsync(cancellationToken)
            : [];
        return new ReleaseInputs(
            consentRecords.ToLookup(e => e.SubjectId, StringComparer.Ordinal),
            objections.ToLookup(o => o.SubjectId, StringComparer.Ordinal),
            restrictions.ToLookup(r => r.SubjectId, StringComparer.Ordinal),
            values.ToLookup(v => v.SubjectId, StringComparer.Ordinal));
    }

    private async Task<ReleasedSubject> ReleaseAsync(
        string subjectId,
        CompiledPurpose purpose,
        SubjectPolicyState policy,
        IReadOnlyList<ConsentEvent> events,
        List<FieldValueRecord> stored,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var decision = ReleasePolicy.Decide(purpose, policy, events, stored.Select(v => v.Field).ToList(), now);
        var released = new List<FieldSnapshot>(decision.Released.Count);
        foreach (var name in decision.Released)
        {
            var version = stored.First(v => v.Field == name);
            if (await keys.DecryptAsync(version, cancellationToken) is { } field)
            {
                released.Add(field);
            }
        }

        return new ReleasedSubject(subjectId, purpose.Id, purpose.Version, released, decision.Withheld);
    }
}

/// <summary>The inputs of release decisions for a set of subjects, by subject id.</summary>
internal sealed record ReleaseInputs(
    ILookup<string, ConsentEventRecord> Consents,
    ILookup<string, ObjectionEventRecord> Objections,
    ILookup<string, RestrictionEventRecord> Restrictions,
    ILookup<string, FieldValueRecord> Values)
{
    public SubjectPolicyState Policy(string subjectId, DateTimeOffset at) =>
        ConsentService.PolicyState(Restrictions[subjectId], Objections[subjectId], erased: false, at);

    public List<ConsentEvent> Events(string subjectId) => Consents[subjectId].Select(ConsentService.ToEvent).ToList();
}
