using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Release;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Consents;

/// <summary>
/// Records consent, objection and restriction events and derives the state from them. Events are
/// append-only: a withdrawal is a new event (GDPR Art. 7(3): as easy as giving), never an update.
/// </summary>
public sealed class ConsentService
{
    private readonly VaultDbContext db;
    private readonly PolicyCatalogue catalogue;
    private readonly VaultWriter writer;
    private readonly ReleaseLoader loader;
    private readonly AuditRecorder recorder;
    private readonly RestrictionLiftNotice liftNotice;
    private readonly TimeProvider time;
    private readonly ILogger<ConsentService> logger;

    internal ConsentService(
        VaultDbContext db,
        PolicyCatalogue catalogue,
        VaultWriter writer,
        ReleaseLoader loader,
        AuditRecorder recorder,
        RestrictionLiftNotice liftNotice,
        TimeProvider time,
        ILogger<ConsentService> logger)
    {
        this.db = db;
        this.catalogue = catalogue;
        this.writer = writer;
        this.loader = loader;
        this.recorder = recorder;
        this.liftNotice = liftNotice;
        this.time = time;
        this.logger = logger;
    }

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
            ? await writer.WriteAsync(new RecordConsentWrite(subjectId, command, catalogue, time) { Origin = ChangeOrigin.Of(command.Actor) }, cancellationToken)
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

    /// <summary>
    /// The state of every purpose at <paramref name="at"/> (default: now), judged against the purpose version then in
    /// force: read by the release loader and derived by the policies, as a consented read is.
    /// </summary>
    public async Task<VaultResult<ConsentStateView>> GetStateAsync(string subjectId, DateTimeOffset? at, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<ConsentStateView>.NotFound();
        }

        var snapshot = loader.ReadSubjects([subjectId], purposeId: null).GetValueOrDefault(subjectId);
        if (snapshot is null)
        {
            return VaultResult<ConsentStateView>.NotFound();
        }

        if (snapshot.Erased)
        {
            return VaultResult<ConsentStateView>.Gone();
        }

        var instant = at ?? time.GetUtcNow();
        var policy = snapshot.Events.StateAt(instant);
        var versions = loader.ReadPurposeVersions();
        var consents = snapshot.Events.Consents;
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var purpose in catalogue.Purposes.Values)
        {
            if (ConsentHistory.LatestAt(consents, purpose.Id, instant) is { } found)
            {
                latest[purpose.Id] = snapshot.ConsentIds[IndexOf(consents, found)];
            }
        }

        var ids = latest.Values.ToList();
        var views = (await db.ConsentEvents.AsNoTracking().Where(e => ids.Contains(e.Id)).ToListAsync(cancellationToken))
            .ToDictionary(e => e.Id, ToView, StringComparer.Ordinal);
        var purposes = new List<PurposeConsentView>(catalogue.Purposes.Count);
        foreach (var purpose in catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            var version = versions.VersionAt(purpose.Id, instant) ?? purpose.Version;
            purposes.Add(new PurposeConsentView(
                purpose.Id,
                version,
                ConsentHistory.Evaluate(consents, purpose.Id, version, instant),
                latest.TryGetValue(purpose.Id, out var id) ? views.GetValueOrDefault(id) : null,
                policy.ObjectsToAll || policy.ObjectedPurposes.Contains(purpose.Id)));
        }

        return VaultResult<ConsentStateView>.Ok(new ConsentStateView(subjectId, instant, policy.Restricted, policy.ObjectsToAll, purposes));
    }

    /// <summary>
    /// The subject's restriction, objection and consent events as the release rule reads them (the one loader), for a
    /// page that shows what each purpose may use now; null for an unknown subject.
    /// </summary>
    public SubjectEvents? ReadEvents(string subjectId) =>
        SubjectId.IsWellFormed(subjectId) ? loader.ReadSubjects([subjectId], purposeId: null).GetValueOrDefault(subjectId)?.Events : null;

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
    /// Global Privacy Control (<c>Sec-GPC: 1</c>): an objection to every purpose the catalogue marks as sale or
    /// sharing, unless one is already in force. Returns the purposes newly objected to.
    /// </summary>
    /// <remarks>
    /// The objections are a change like any other: written by the vault writer, and never committed without a durable
    /// audit entry. The entry (<c>objection.record</c>, fields <c>gpc:</c> and the purposes) is recorded as attempted
    /// before the write is queued, naming the purposes about to be objected to, and again with its outcome, naming those
    /// the write recorded (another request with the same signal may have recorded some first). If the attempt cannot be
    /// recorded, nothing is written; if the outcome cannot, the objections stand with their attempt on record. Either
    /// way <see cref="AuditUnavailableException"/> reaches the caller, which answers 503.
    /// </remarks>
    /// <param name="subjectId">The subject the signal came for.</param>
    /// <param name="actor">Who relayed it: the client, or the subject's own browser in the portal.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <exception cref="AuditUnavailableException">The audit trail could not record the change.</exception>
    public async Task<IReadOnlyList<string>> ApplyGlobalPrivacyControlAsync(string subjectId, Actor actor, CancellationToken cancellationToken)
    {
        // The signal comes with every request of such a browser: once its objections are on record, answer from a
        // read, without queueing for the writer or the audit trail.
        var snapshot = SubjectId.IsWellFormed(subjectId) ? loader.ReadSubjects([subjectId], purposeId: null).GetValueOrDefault(subjectId) : null;
        var missing = snapshot is null || snapshot.Erased ? [] : MissingGpcObjections(catalogue, snapshot.Events.StateAt(time.GetUtcNow()));
        if (missing.Count == 0)
        {
            return [];
        }

        var attempt = new AuditEvent(actor, AuditActions.ObjectionRecord, subjectId, Fields: GpcFields(missing));
        var result = await recorder.RecordChangeAsync(
            attempt,
            () => writer.WriteAsync(new GlobalPrivacyControlWrite(subjectId, actor, catalogue, time) { Origin = ChangeOrigin.Of(actor) }, cancellationToken),
            written => (attempt with { Fields = written.Value is { Count: > 0 } added ? GpcFields(added) : null }, AuditOutcomes.From(written.Outcome)),
            cancellationToken);
        if (result.Value is { Count: > 0 } objected)
        {
            Log.GlobalPrivacyControlApplied(logger, subjectId, objected.Count);
        }

        return result.Value ?? [];
    }

    /// <summary>The purposes marked for Global Privacy Control that <paramref name="policy"/> has no objection to yet, in id order.</summary>
    internal static List<string> MissingGpcObjections(PolicyCatalogue catalogue, SubjectPolicyState policy) =>
        policy.ObjectsToAll
            ? []
            : catalogue.Purposes.Values
                .Where(p => p.GpcObjection && !policy.ObjectedPurposes.Contains(p.Id))
                .Select(p => p.Id)
                .Order(StringComparer.Ordinal)
                .ToList();

    /// <summary>The audit fields of objections recorded for the signal: <c>gpc:</c> and the purposes joined by <c>+</c>.</summary>
    private static string GpcFields(IEnumerable<string> purposes) => "gpc:" + string.Join('+', purposes);

    /// <summary>GDPR Art. 18: while restricted, no field is released for any purpose.</summary>
    public async Task<VaultResult<bool>> RestrictAsync(string subjectId, string? reason, Actor actor, CancellationToken cancellationToken)
    {
        var (refused, text) = await CheckReasonAsync(subjectId, reason, required: true, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new RestrictionWrite(subjectId, RestrictionWrite.Restricted, text!, actor, catalogue, time) { Origin = ChangeOrigin.Of(actor) }, cancellationToken)
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

        var result = await writer.WriteAsync(new RestrictionWrite(subjectId, RestrictionWrite.Lifted, text!, actor, catalogue, time) { Origin = ChangeOrigin.Of(actor) }, cancellationToken);
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

    // Compiled once: choices are read by every lift and every history page.
    private static readonly Func<VaultDbContext, string, IAsyncEnumerable<RestrictionEventRecord>> RestrictionsOf =
        EF.CompileAsyncQuery((VaultDbContext db, string id) => db.RestrictionEvents.AsNoTracking().Where(r => r.SubjectId == id));

    private static readonly Func<VaultDbContext, string, IAsyncEnumerable<ObjectionEventRecord>> ObjectionsOf =
        EF.CompileAsyncQuery((VaultDbContext db, string id) => db.ObjectionEvents.AsNoTracking().Where(o => o.SubjectId == id));

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

    /// <summary>The position of <paramref name="consent"/> itself (not an equal event) in <paramref name="consents"/>.</summary>
    private static int IndexOf(IReadOnlyList<ConsentEvent> consents, ConsentEvent consent)
    {
        for (var i = 0; i < consents.Count; i++)
        {
            if (ReferenceEquals(consents[i], consent))
            {
                return i;
            }
        }

        throw new InvalidOperationException("The latest consent event is not one of the subject's.");
    }

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

    private async Task<VaultResult<bool>> AddObjectionEventAsync(
        string subjectId, string? purposeId, string action, string source, string? reason, bool reasonRequired, Actor actor, CancellationToken cancellationToken)
    {
        var (refused, text) = await CheckReasonAsync(subjectId, reason, reasonRequired, cancellationToken);
        if (refused is not null)
        {
            return refused;
        }

        var result = SubjectId.IsWellFormed(subjectId)
            ? await writer.WriteAsync(new ObjectionWrite(subjectId, purposeId, action, source, text, actor, catalogue, time) { Origin = ChangeOrigin.Of(actor) }, cancellationToken)
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
