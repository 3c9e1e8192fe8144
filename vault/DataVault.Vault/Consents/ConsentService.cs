using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Consents;

/// <summary>
/// Records consent, objection and restriction events and derives the state from them. Events are
/// append-only: a withdrawal is a new event (GDPR Art. 7(3): as easy as giving), never an update.
/// </summary>
internal sealed class ConsentService(VaultDbContext db, PolicyCatalogue catalogue, VaultWriter writer, TimeProvider time, ILogger<ConsentService> logger)
{
    /// <summary>Languages a consent notice may be shown in (the catalogue's localized texts).</summary>
    public static readonly IReadOnlySet<string> NoticeLanguages = new HashSet<string>(StringComparer.Ordinal) { "en", "es", "ca", "it", "et" };

    private const int MaxEvidenceLength = 1000;
    private const int MaxReasonLength = 500;

    /// <summary>Clocks of callers drift; an event may be stamped this far ahead of ours.</summary>
    private static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(5);

    public async Task<VaultResult<ConsentEventView>> RecordAsync(string subjectId, RecordConsentCommand command, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(command);

        // Checked and written in the writer's transaction: an erasure cannot slip in between.
        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new RecordConsentWrite(subjectId, command, catalogue, time), cancellationToken)
            : VaultResult<ConsentEventView>.NotFound();
        if (result.Value is { } recorded)
        {
            var state = ConsentStates.ToText(recorded.State);
            Log.ConsentRecorded(logger, subjectId, recorded.PurposeId, state);
        }

        return result;
    }

    /// <summary>
    /// The errors of a consent event judged at <paramref name="now"/>, keyed by request property; also
    /// the purpose and state it names and the instant it is dated (a caller's clock slightly ahead of
    /// ours is brought back to now, so an event is never dated after the next one).
    /// </summary>
    internal static Dictionary<string, string[]> Validate(
        PolicyCatalogue catalogue,
        RecordConsentCommand command,
        DateTimeOffset now,
        out PurposeDefinition? purpose,
        out ConsentState state,
        out DateTimeOffset occurredAt)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(command);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!catalogue.Purposes.TryGetValue(command.PurposeId, out purpose))
        {
            errors["purposeId"] = ["Is not a purpose of the catalogue (GET /api/v1/purposes lists them)."];
        }

        if (!ConsentStates.TryParse(command.State, out state))
        {
            errors["state"] = ["Must be one of: given, refused, withdrawn, expired."];
        }

        occurredAt = command.OccurredAt ?? now;
        if (occurredAt > now + FutureTolerance)
        {
            errors["occurredAt"] = ["Must not be in the future."];
        }

        // A caller's clock a little ahead of ours must not date an event after the next one.
        occurredAt = occurredAt > now ? now : occurredAt;

        if (command.ExpiresAt is { } expires && expires <= occurredAt)
        {
            errors["expiresAt"] = ["Must be after the time the consent was given."];
        }

        if (command.ExpiresAt is not null && state != ConsentState.Given)
        {
            errors["expiresAt"] = ["Only a 'given' consent can have an expiry."];
        }

        if (!CollectionMethods.All.Contains(command.CollectionMethod))
        {
            errors["collectionMethod"] = ["Must be one of: api, portal, import."];
        }

        if (!NoticeLanguages.Contains(command.NoticeLanguage))
        {
            errors["noticeLanguage"] = ["Must be one of: en, es, ca, it, et."];
        }

        if (command.Evidence is { } evidence && (evidence.Length > MaxEvidenceLength || evidence.Any(char.IsControl) || string.IsNullOrWhiteSpace(evidence)))
        {
            errors["evidence"] = [$"Must be 1-{MaxEvidenceLength} characters without control characters."];
        }

        return errors;
    }

    /// <summary>The state of every purpose at <paramref name="at"/> (default: now), judged against the purpose version then in force.</summary>
    public async Task<VaultResult<ConsentStateView>> GetStateAsync(string subjectId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var subject = await CheckSubjectAsync(subjectId, cancellationToken);
        if (subject != VaultOutcome.Ok)
        {
            return Fail<ConsentStateView>(subject);
        }

        var instant = at ?? time.GetUtcNow();
        var (policy, records, events) = await LoadPolicyStateAsync(subjectId, instant, cancellationToken);
        var versions = await VersionsInForceAsync(instant, cancellationToken);
        var purposes = new List<PurposeConsentView>(catalogue.Purposes.Count);
        foreach (var purpose in catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var version = versions.GetValueOrDefault(purpose.Id, purpose.Version);
            var latest = ConsentHistory.LatestAt(events, purpose.Id, instant);
            var index = latest is null ? -1 : events.FindIndex(e => ReferenceEquals(e, latest));
            purposes.Add(new PurposeConsentView(
                purpose.Id,
                version,
                ConsentHistory.Evaluate(events, purpose.Id, version, instant),
                index < 0 ? null : ToView(records[index]),
                policy.ObjectsToAll || policy.ObjectedPurposes.Contains(purpose.Id)));
        }

        return VaultResult<ConsentStateView>.Ok(new ConsentStateView(subjectId, instant, policy.Restricted, policy.ObjectsToAll, purposes));
    }

    public async Task<VaultResult<IReadOnlyList<ConsentEventView>>> GetHistoryAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await CheckSubjectAsync(subjectId, cancellationToken);
        if (subject != VaultOutcome.Ok)
        {
            return Fail<IReadOnlyList<ConsentEventView>>(subject);
        }

        var records = await db.ConsentEvents.AsNoTracking()
            .Where(e => e.SubjectId == subjectId)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id)
            .ToListAsync(cancellationToken);
        return VaultResult<IReadOnlyList<ConsentEventView>>.Ok(records.Select(ToView).ToList());
    }

    public async Task<VaultResult<ConsentEventView>> GetEventAsync(string subjectId, string eventId, CancellationToken cancellationToken)
    {
        var subject = await CheckSubjectAsync(subjectId, cancellationToken);
        if (subject != VaultOutcome.Ok)
        {
            return Fail<ConsentEventView>(subject);
        }

        var record = await db.ConsentEvents.AsNoTracking().SingleOrDefaultAsync(e => e.Id == eventId && e.SubjectId == subjectId, cancellationToken);
        return record is null ? VaultResult<ConsentEventView>.NotFound() : VaultResult<ConsentEventView>.Ok(ToView(record));
    }

    /// <summary>GDPR Art. 21: an objection to one purpose, or to all processing when <paramref name="purposeId"/> is null.</summary>
    public Task<VaultResult<bool>> ObjectAsync(string subjectId, string? purposeId, string source, Actor actor, CancellationToken cancellationToken) =>
        AddObjectionEventAsync(subjectId, purposeId, "objected", source, actor, cancellationToken);

    public Task<VaultResult<bool>> LiftObjectionAsync(string subjectId, string? purposeId, string source, Actor actor, CancellationToken cancellationToken) =>
        AddObjectionEventAsync(subjectId, purposeId, "lifted", source, actor, cancellationToken);

    /// <summary>
    /// Global Privacy Control (<c>Sec-GPC: 1</c>): an objection to every purpose the catalogue marks as
    /// sale or sharing, unless one is already in force. Returns the purposes newly objected to.
    /// </summary>
    /// <param name="subjectId">The subject the signal came for.</param>
    /// <param name="actor">Who relayed it.</param>
    /// <param name="beforeCommit">Called with the purposes about to be objected to, inside the transaction; if it throws (the audit entry could not be written), nothing is recorded.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public async Task<IReadOnlyList<string>> ApplyGlobalPrivacyControlAsync(
        string subjectId, Actor actor, Func<IReadOnlyList<string>, Task> beforeCommit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(beforeCommit);

        // The signal comes with every request of such a browser: once its objections are on record,
        // answer from a read, without queueing for the write lock.
        if ((await MissingGpcObjectionsAsync(subjectId, time.GetUtcNow(), cancellationToken)).Count == 0)
        {
            return [];
        }

        // Its own transaction, because the audit entry is written before it commits: the writer lets it in between batches.
        using var write = await writer.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (await CheckSubjectAsync(subjectId, cancellationToken) != VaultOutcome.Ok)
        {
            return [];
        }

        var now = time.GetUtcNow();
        var added = new List<string>();
        foreach (var purposeId in await MissingGpcObjectionsAsync(subjectId, now, cancellationToken))
        {
            db.ObjectionEvents.Add(new ObjectionEventRecord
            {
                Id = RecordId.New(time),
                SubjectId = subjectId,
                PurposeId = purposeId,
                Action = "objected",
                Source = "gpc",
                OccurredAt = now,
                ActorType = actor.Type,
                ActorId = actor.Id,
            });
            added.Add(purposeId);
        }

        if (added.Count > 0)
        {
            await db.SaveChangesAsync(cancellationToken);
            await beforeCommit(added);
            await transaction.CommitAsync(cancellationToken);
            Log.GlobalPrivacyControlApplied(logger, subjectId, added.Count);
        }

        return added;
    }

    /// <summary>The purposes marked for Global Privacy Control that the subject has not objected to yet.</summary>
    private async Task<List<string>> MissingGpcObjectionsAsync(string subjectId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var (policy, _, _) = await LoadPolicyStateAsync(subjectId, now, cancellationToken);
        return policy.ObjectsToAll
            ? []
            : catalogue.Purposes.Values
                .Where(p => p.GpcObjection && !policy.ObjectedPurposes.Contains(p.Id))
                .Select(p => p.Id)
                .Order(StringComparer.Ordinal)
                .ToList();
    }

    /// <summary>GDPR Art. 18: while restricted, no field is released for any purpose.</summary>
    public Task<VaultResult<bool>> RestrictAsync(string subjectId, string reason, Actor actor, CancellationToken cancellationToken) =>
        SetRestrictionAsync(subjectId, "restricted", reason, actor, cancellationToken);

    public Task<VaultResult<bool>> LiftRestrictionAsync(string subjectId, string reason, Actor actor, CancellationToken cancellationToken) =>
        SetRestrictionAsync(subjectId, "lifted", reason, actor, cancellationToken);

    /// <summary>
    /// What the release policy needs to know about a subject at an instant: restriction, objections and
    /// consent events. Callers have already found the subject and answered 410 for an erased one.
    /// </summary>
    public async Task<(SubjectPolicyState Policy, List<ConsentEventRecord> Records, List<ConsentEvent> Events)> LoadPolicyStateAsync(string subjectId, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var restriction = await RestrictionsOf(db, subjectId).ToListAsync(cancellationToken);
        var objections = await ObjectionsOf(db, subjectId).ToListAsync(cancellationToken);
        var records = await ConsentEventsOf(db, subjectId).ToListAsync(cancellationToken);
        return (PolicyState(restriction, objections, erased: false, at), records, records.Select(ToEvent).ToList());
    }

    // Compiled once: every consented read loads the policy state.
    private static readonly Func<VaultDbContext, string, IAsyncEnumerable<RestrictionEventRecord>> RestrictionsOf =
        EF.CompileAsyncQuery((VaultDbContext db, string id) => db.RestrictionEvents.AsNoTracking().Where(r => r.SubjectId == id));

    private static readonly Func<VaultDbContext, string, IAsyncEnumerable<ObjectionEventRecord>> ObjectionsOf =
        EF.CompileAsyncQuery((VaultDbContext db, string id) => db.ObjectionEvents.AsNoTracking().Where(o => o.SubjectId == id));

    private static readonly Func<VaultDbContext, string, IAsyncEnumerable<ConsentEventRecord>> ConsentEventsOf =
        EF.CompileAsyncQuery<VaultDbContext, string, ConsentEventRecord>((db, id) => db.ConsentEvents.AsNoTracking()
            .Where(e => e.SubjectId == id)
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id));

    /// <summary>Derives restriction and objections at <paramref name="at"/> from their events: the latest event per key wins.</summary>
    internal static SubjectPolicyState PolicyState(IEnumerable<RestrictionEventRecord> restrictions, IEnumerable<ObjectionEventRecord> objections, bool erased, DateTimeOffset at)
    {
        var restricted = restrictions
            .Where(r => r.OccurredAt <= at)
            .OrderBy(r => r.OccurredAt).ThenBy(r => r.Id, StringComparer.Ordinal)
            .LastOrDefault()?.Action == "restricted";
        var objectsToAll = false;
        var objected = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in objections.Where(o => o.OccurredAt <= at).GroupBy(o => o.PurposeId))
        {
            var latest = group.OrderBy(o => o.OccurredAt).ThenBy(o => o.Id, StringComparer.Ordinal).Last();
            if (latest.Action != "objected")
            {
                continue;
            }

            if (group.Key is null)
            {
                objectsToAll = true;
            }
            else
            {
                objected.Add(group.Key);
            }
        }

        return new SubjectPolicyState(restricted, erased, objected, objectsToAll);
    }

    internal static ConsentEvent ToEvent(ConsentEventRecord record) =>
        new(record.PurposeId, record.PurposeVersion, ConsentStates.Parse(record.State), record.OccurredAt, record.ExpiresAt);

    internal static ConsentEventView ToView(ConsentEventRecord record) => new(
        record.Id,
        record.SubjectId,
        record.PurposeId,
        record.PurposeVersion,
        ConsentStates.Parse(record.State),
        record.OccurredAt,
        record.RecordedAt,
        record.ExpiresAt,
        record.CollectionMethod,
        new Actor(record.ActorType, record.ActorId),
        record.NoticeLanguage,
        record.Evidence);

    private async Task<Dictionary<string, string>> VersionsInForceAsync(DateTimeOffset at, CancellationToken cancellationToken) =>
        VersionsInForce(await db.PurposeVersions.AsNoTracking().ToListAsync(cancellationToken), at);

    /// <summary>The version of each purpose in force at <paramref name="at"/>: the latest effective by then, else the earliest known.</summary>
    internal static Dictionary<string, string> VersionsInForce(IEnumerable<PurposeVersionRecord> versions, DateTimeOffset at) =>
        versions
            .GroupBy(v => v.PurposeId, StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => (g.Where(v => v.EffectiveFrom <= at).MaxBy(v => v.EffectiveFrom) ?? g.MinBy(v => v.EffectiveFrom)!).Version,
                StringComparer.Ordinal);

    private async Task<VaultResult<bool>> AddObjectionEventAsync(string subjectId, string? purposeId, string action, string source, Actor actor, CancellationToken cancellationToken)
    {
        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new ObjectionWrite(subjectId, purposeId, action, source, actor, catalogue, time), cancellationToken)
            : VaultResult<bool>.NotFound();
        if (result.Outcome == VaultOutcome.Ok)
        {
            Log.ObjectionRecorded(logger, subjectId, purposeId ?? "*", action);
        }

        return result;
    }

    private async Task<VaultResult<bool>> SetRestrictionAsync(string subjectId, string action, string reason, Actor actor, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(reason) || reason.Length > MaxReasonLength || reason.Any(char.IsControl))
        {
            var check = await CheckSubjectAsync(subjectId, cancellationToken);
            return check != VaultOutcome.Ok
                ? Fail<bool>(check)
                : VaultResult<bool>.Invalid(new Dictionary<string, string[]> { ["reason"] = [$"Must be 1-{MaxReasonLength} characters without control characters."] });
        }

        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new RestrictionWrite(subjectId, action, reason.Trim(), actor, time), cancellationToken)
            : VaultResult<bool>.NotFound();
        if (result.Outcome == VaultOutcome.Ok)
        {
            Log.RestrictionRecorded(logger, subjectId, action);
        }

        return result;
    }

    private async Task<VaultOutcome> CheckSubjectAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultOutcome.NotFound;
        }

        var erasedAt = await db.Subjects.AsNoTracking()
            .Where(s => s.Id == subjectId)
            .Select(s => new { s.ErasedAt })
            .SingleOrDefaultAsync(cancellationToken);
        return erasedAt is null ? VaultOutcome.NotFound : erasedAt.ErasedAt is null ? VaultOutcome.Ok : VaultOutcome.Gone;
    }

    private static VaultResult<T> Fail<T>(VaultOutcome outcome) =>
        outcome == VaultOutcome.Gone ? VaultResult<T>.Gone() : VaultResult<T>.NotFound();
}
