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
internal sealed class ConsentService(
    VaultDbContext db,
    PolicyCatalogue catalogue,
    VaultWriter writer,
    RestrictionLiftNotice liftNotice,
    TimeProvider time,
    ILogger<ConsentService> logger)
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
    /// A consent event judged at <paramref name="now"/>: its errors keyed by request property, the purpose and
    /// state it names, the instant it is dated (a caller's clock slightly ahead of ours is brought back to now,
    /// so an event is never dated after the next one) and its evidence as stored.
    /// </summary>
    internal static ValidatedConsent Validate(PolicyCatalogue catalogue, RecordConsentCommand command, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        ArgumentNullException.ThrowIfNull(command);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!catalogue.Purposes.TryGetValue(command.PurposeId, out var purpose))
        {
            errors["purposeId"] = ["Is not a purpose of the catalogue (GET /api/v1/purposes lists them)."];
        }

        if (!ConsentStates.TryParse(command.State, out var state))
        {
            errors["state"] = ["Must be one of: given, refused, withdrawn, expired."];
        }

        var occurredAt = command.OccurredAt ?? now;
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

        string? evidence = null;
        if (command.Evidence is not null && FieldValues.ValidateFreeText(command.Evidence, MaxEvidenceLength, out evidence) is { } evidenceError)
        {
            errors["evidence"] = [evidenceError];
        }
        else if (command.Evidence is null && command.CollectionMethod == CollectionMethods.Import)
        {
            // GDPR Art. 7(1): a consent the vault did not see being given is only as good as the proof kept of it.
            errors["evidence"] = ["Is required for an imported consent: say where the proof of it is kept (a form id, a document reference, the hash of the notice shown)."];
        }

        return new ValidatedConsent(errors, purpose, state, occurredAt, evidence);
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
    /// <param name="subjectId">The subject objecting.</param>
    /// <param name="purposeId">The purpose objected to; null for all processing.</param>
    /// <param name="source">Where it came from (<see cref="ChoiceSources"/>).</param>
    /// <param name="reason">Why, when the recorder gave a reason (checked as free text, under the property name <c>reason</c>).</param>
    /// <param name="actor">Who records it.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    public Task<VaultResult<bool>> ObjectAsync(string subjectId, string? purposeId, string source, string? reason, Actor actor, CancellationToken cancellationToken) =>
        AddObjectionEventAsync(subjectId, purposeId, ObjectionWrite.Objected, source, reason, reasonRequired: false, actor, cancellationToken);

    /// <summary>
    /// Lifts the objection in force to a purpose (or to all processing), recording who lifted it and why. A
    /// client may not lift what the subject or an officer recorded, nor any objection to direct marketing
    /// (<see cref="VaultOutcome.Refused"/>; <see cref="ChoiceLifts"/>). The value is false when no objection
    /// was in force, and then nothing is written.
    /// </summary>
    public Task<VaultResult<bool>> LiftObjectionAsync(string subjectId, string? purposeId, string source, string? reason, Actor actor, CancellationToken cancellationToken) =>
        AddObjectionEventAsync(subjectId, purposeId, ObjectionWrite.Lifted, source, reason, reasonRequired: true, actor, cancellationToken);

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
                Action = ObjectionWrite.Objected,
                Source = ChoiceSources.Gpc,
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
    public async Task<VaultResult<bool>> RestrictAsync(string subjectId, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var (refused, text) = await CheckReasonAsync(subjectId, reason, required: true, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new RestrictionWrite(subjectId, RestrictionWrite.Restricted, text!, actor, time), cancellationToken)
            : VaultResult<bool>.NotFound();
        if (result.Value)
        {
            Log.RestrictionRecorded(logger, subjectId, RestrictionWrite.Restricted);
        }

        return result;
    }

    /// <summary>
    /// Lifts the restriction in force, recording who lifted it and why. A client may not lift one the subject or
    /// an officer recorded (<see cref="VaultOutcome.Refused"/>; <see cref="ChoiceLifts"/>). The value is false when
    /// no restriction was in force, and then nothing is written.
    /// </summary>
    /// <remarks>
    /// GDPR Art. 18(3): unless the subject lifts it themself, the subject is told first. The notice is committed to
    /// the mail outbox (<see cref="RestrictionLiftNotice"/>) before the lift is written; with no e-mail address on
    /// record the lift is refused, unless an officer confirms in <paramref name="toldOtherwise"/> that the subject
    /// was told another way (an officer has checked their identity and can reach them; a client cannot show that).
    /// </remarks>
    public async Task<VaultResult<bool>> LiftRestrictionAsync(string subjectId, string? reason, Actor actor, bool toldOtherwise, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var (refused, text) = await CheckReasonAsync(subjectId, reason, required: true, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var subject = await CheckSubjectAsync(subjectId, cancellationToken);
        if (subject != VaultOutcome.Ok)
        {
            return Fail<bool>(subject);
        }

        // Whether there is anything to lift and who may lift it are decided before the subject is told (and
        // again, with the write, in the writer's transaction).
        var inForce = ChoiceLifts.InForce(await RestrictionsOf(db, subjectId).ToListAsync(cancellationToken));
        if (inForce.Count == 0)
        {
            return VaultResult<bool>.Ok(false);
        }

        if (ChoiceLifts.Refusal(actor, inForce, directMarketing: false) is { } refusal)
        {
            return VaultResult<bool>.Refused(refusal);
        }

        if (actor.Type != Actor.SubjectType)
        {
            var notice = await liftNotice.SendAsync(subjectId, cancellationToken);
            if (notice.Outcome != VaultOutcome.Ok)
            {
                return Fail<bool>(notice.Outcome);
            }

            if (notice.Value is null && !(toldOtherwise && actor.Type == Actor.OfficerType))
            {
                return VaultResult<bool>.Refused(actor.IsClient
                    ? "The subject has no e-mail address on record, so the vault cannot tell them before the restriction is lifted (GDPR Art. 18(3)). Record their address first, or ask a compliance officer, who can lift it after telling them another way."
                    : "The subject has no e-mail address on record, so the vault cannot tell them before the restriction is lifted (GDPR Art. 18(3)). Tell them another way first, and confirm that you did.");
            }
        }

        var result = await writer.WriteAsync(new RestrictionWrite(subjectId, RestrictionWrite.Lifted, text!, actor, time), cancellationToken);
        if (result.Value)
        {
            Log.RestrictionRecorded(logger, subjectId, RestrictionWrite.Lifted);
        }

        return result;
    }

    /// <summary>
    /// Every restriction and objection event of the subject, oldest first: who recorded or lifted what, through
    /// what, and why. Shown to the subject and to officers.
    /// </summary>
    public async Task<VaultResult<IReadOnlyList<ChoiceEventView>>> GetChoiceHistoryAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await CheckSubjectAsync(subjectId, cancellationToken);
        if (subject != VaultOutcome.Ok)
        {
            return Fail<IReadOnlyList<ChoiceEventView>>(subject);
        }

        var restrictions = await RestrictionsOf(db, subjectId).ToListAsync(cancellationToken);
        var objections = await ObjectionsOf(db, subjectId).ToListAsync(cancellationToken);
        var events = restrictions
            .Select(r => (r.OccurredAt, r.Id, View: new ChoiceEventView(r.Id, ChoiceKind.Restriction, null, r.Action, null, new Actor(r.ActorType, r.ActorId), r.Reason, r.OccurredAt)))
            .Concat(objections.Select(o => (o.OccurredAt, o.Id, View: new ChoiceEventView(o.Id, ChoiceKind.Objection, o.PurposeId, o.Action, o.Source, new Actor(o.ActorType, o.ActorId), o.Reason, o.OccurredAt))))
            .OrderBy(e => e.OccurredAt).ThenBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => e.View)
            .ToList();
        return VaultResult<IReadOnlyList<ChoiceEventView>>.Ok(events);
    }

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

    /// <summary>
    /// When the purpose definitions in force now took effect: the latest date at which one of the catalogue's
    /// purposes got the version it has now (for the date of the record of processing). Null before any was recorded.
    /// </summary>
    public async Task<DateTimeOffset?> CatalogueInForceSinceAsync(CancellationToken cancellationToken)
    {
        var versions = await db.PurposeVersions.AsNoTracking().ToListAsync(cancellationToken);
        var current = catalogue.Purposes.Values.Select(p => (p.Id, p.Version)).ToHashSet();
        return versions.Where(v => current.Contains((v.PurposeId, v.Version))).Select(v => (DateTimeOffset?)v.EffectiveFrom).Max();
    }

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

    private async Task<VaultResult<bool>> AddObjectionEventAsync(
        string subjectId, string? purposeId, string action, string source, string? reason, bool reasonRequired, Actor actor, CancellationToken cancellationToken)
    {
        var (refused, text) = await CheckReasonAsync(subjectId, reason, reasonRequired, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new ObjectionWrite(subjectId, purposeId, action, source, text, actor, catalogue, time), cancellationToken)
            : VaultResult<bool>.NotFound();
        if (result.Value)
        {
            Log.ObjectionRecorded(logger, subjectId, purposeId ?? "*", action);
        }

        return result;
    }


    /// <summary>
    /// A reason is free text held to the rules of a field value (<see cref="FieldValues.ValidateFreeText"/>):
    /// returns it trimmed and normalized, or the answer to give instead (an unknown or erased subject first, as
    /// for every other change; then 400 naming <c>reason</c>).
    /// </summary>
    private async Task<(VaultResult<bool>? Refused, string? Text)> CheckReasonAsync(string subjectId, string? reason, bool required, CancellationToken cancellationToken)
    {
        string? text = null;
        var error = reason is null
            ? required ? "is required: say why" : null
            : FieldValues.ValidateFreeText(reason, MaxReasonLength, out text);
        if (error is null)
        {
            return (null, text);
        }

        var check = await CheckSubjectAsync(subjectId, cancellationToken);
        return (check != VaultOutcome.Ok
            ? Fail<bool>(check)
            : VaultResult<bool>.Invalid(new Dictionary<string, string[]> { ["reason"] = [error] }), null);
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
