using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Release;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Consents;

/// <summary>
/// A consent event, checked and appended inside the writer's transaction. It is judged and dated by
/// the clock when the writer runs it rather than when it was queued, so events of one purpose queued
/// together keep the order in which they are stored.
/// </summary>
internal sealed class RecordConsentWrite(string subjectId, RecordConsentCommand command, PolicyCatalogue catalogue, TimeProvider time)
    : VaultWrite<VaultResult<ConsentEventView>>
{
    protected override VaultResult<ConsentEventView> Execute(VaultWriteContext context)
    {
        var now = time.GetUtcNow();
        var consent = ConsentService.Validate(catalogue, command, now);
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<ConsentEventView>.Gone() : VaultResult<ConsentEventView>.NotFound();
        }

        if (consent.Errors.Count > 0)
        {
            return VaultResult<ConsentEventView>.Invalid(consent.Errors);
        }

        // GDPR Art. 7(1): the vault vouches for a consent only from the moment it holds the subject. An event
        // dated earlier is a claim about another system's records: it must say so (collection method
        // "import", with evidence), and then it is marked as imported wherever it is shown or signed.
        var createdAt = StoredInstant.Parse((string)context.Scalar("SELECT created_at FROM subjects WHERE id = $1;", subjectId)!);
        if (consent.OccurredAt < createdAt && command.CollectionMethod != CollectionMethods.Import)
        {
            return VaultResult<ConsentEventView>.Invalid(new Dictionary<string, string[]>
            {
                ["occurredAt"] = ["Must not be before the subject was created in the vault. A consent collected earlier by another system is recorded with collectionMethod 'import' and its evidence."],
            });
        }

        var purpose = consent.Purpose!;

        // The timeline only moves forward: an event dated before the latest one for the purpose
        // would silently lose to it, so "withdrawn" must never be answered 201 and then ignored.
        var latest = context.Scalar(
            "SELECT occurred_at FROM consent_events WHERE subject_id = $1 AND purpose_id = $2 ORDER BY occurred_at DESC LIMIT 1;",
            subjectId,
            purpose.Id);
        if (latest is string last && consent.OccurredAt < StoredInstant.Parse(last))
        {
            return VaultResult<ConsentEventView>.Invalid(new Dictionary<string, string[]>
            {
                ["occurredAt"] = ["Must not be before the latest consent event recorded for this purpose."],
            });
        }

        var record = new ConsentEventRecord
        {
            Id = RecordId.New(time),
            SubjectId = subjectId,
            PurposeId = purpose.Id,
            PurposeVersion = purpose.Version,
            State = ConsentStates.ToText(consent.State),
            OccurredAt = consent.OccurredAt,
            RecordedAt = now,
            ExpiresAt = command.ExpiresAt,
            CollectionMethod = command.CollectionMethod,
            ActorType = command.Actor.Type,
            ActorId = command.Actor.Id,
            NoticeLanguage = command.NoticeLanguage,
            Evidence = consent.Evidence,
        };
        context.Execute(
            """
            INSERT INTO consent_events (id, subject_id, purpose_id, purpose_version, state, occurred_at, recorded_at, expires_at,
                                        collection_method, actor_type, actor_id, notice_language, evidence)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13);
            """,
            record.Id,
            record.SubjectId,
            record.PurposeId,
            record.PurposeVersion,
            record.State,
            record.OccurredAt,
            record.RecordedAt,
            record.ExpiresAt,
            record.CollectionMethod,
            record.ActorType,
            record.ActorId,
            record.NoticeLanguage,
            record.Evidence);
        context.Changed(ChangeFacts.Consent(consent.State, subjectId, purpose));
        return VaultResult<ConsentEventView>.Ok(ConsentService.ToView(record));
    }

    protected override bool Keeps(VaultResult<ConsentEventView> result) => result.Outcome == VaultOutcome.Ok;
}

/// <summary>
/// GDPR Art. 21: an objection (or its lifting) to one purpose, or to all processing when the purpose is null. A
/// lift is checked against who recorded the objection in force (<see cref="ChoiceLifts"/>) in the writer's
/// transaction, so no objection can slip in between; with nothing in force, nothing is written.
/// </summary>
internal sealed class ObjectionWrite(string subjectId, string? purposeId, string action, string source, string? reason, Actor actor, PolicyCatalogue catalogue, TimeProvider time)
    : VaultWrite<VaultResult<bool>>
{
    public const string Objected = "objected";
    public const string Lifted = ChoiceLifts.Lifted;

    protected override VaultResult<bool> Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<bool>.Gone() : VaultResult<bool>.NotFound();
        }

        PurposeDefinition? purpose = null;
        if (purposeId is not null && !catalogue.Purposes.TryGetValue(purposeId, out purpose))
        {
            return VaultResult<bool>.Invalid(new Dictionary<string, string[]> { ["purposeId"] = ["Is not a purpose of the catalogue."] });
        }

        if (action == Lifted)
        {
            var inForce = ChoiceLifts.InForce(
                context,
                "SELECT action, actor_type, actor_id, source FROM objection_events WHERE subject_id = $1 AND purpose_id IS $2 ORDER BY occurred_at, id;",
                subjectId,
                purposeId);
            if (inForce.Count == 0)
            {
                return VaultResult<bool>.Ok(false);
            }

            // An objection to all processing covers the direct-marketing purposes too.
            var directMarketing = purpose?.DirectMarketing ?? catalogue.Purposes.Values.Any(p => p.DirectMarketing);
            if (ChoiceLifts.Refusal(actor, inForce, directMarketing) is { } refusal)
            {
                return VaultResult<bool>.Refused(refusal);
            }
        }

        context.Execute(
            """
            INSERT INTO objection_events (id, subject_id, purpose_id, action, source, occurred_at, actor_type, actor_id, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9);
            """,
            RecordId.New(time),
            subjectId,
            purposeId,
            action,
            source,
            time.GetUtcNow(),
            actor.Type,
            actor.Id,
            reason);
        context.Changed(ChangeFacts.Objection(action == Objected, subjectId, purpose, catalogue));
        return VaultResult<bool>.Ok(true);
    }

    protected override bool Keeps(VaultResult<bool> result) => result.Outcome == VaultOutcome.Ok;
}

/// <summary>
/// Global Privacy Control (<c>Sec-GPC: 1</c>): an objection, through the signal, to every purpose the catalogue
/// marks as sale or sharing that has none in force, judged in the writer's transaction by the policies' rule
/// (<see cref="SubjectEvents"/>). Its value is the purposes it objected to, none when all were in force already.
/// </summary>
internal sealed class GlobalPrivacyControlWrite(string subjectId, Actor actor, PolicyCatalogue catalogue, TimeProvider time)
    : VaultWrite<VaultResult<IReadOnlyList<string>>>
{
    protected override VaultResult<IReadOnlyList<string>> Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<IReadOnlyList<string>>.Gone() : VaultResult<IReadOnlyList<string>>.NotFound();
        }

        var objections = new List<ObjectionEvent>();
        using (var reader = context.Query("SELECT 2, id, action, occurred_at, purpose_id FROM objection_events WHERE subject_id = $1;", subjectId))
        {
            while (reader.Read())
            {
                objections.Add(ReleaseLoader.ObjectionFrom(reader));
            }
        }

        var now = time.GetUtcNow();
        var missing = ConsentService.MissingGpcObjections(catalogue, new SubjectEvents([], objections, []).StateAt(now));
        foreach (var purposeId in missing)
        {
            context.Execute(
                """
                INSERT INTO objection_events (id, subject_id, purpose_id, action, source, occurred_at, actor_type, actor_id, reason)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL);
                """,
                RecordId.New(time),
                subjectId,
                purposeId,
                ObjectionWrite.Objected,
                ChoiceSources.Gpc,
                now,
                actor.Type,
                actor.Id);
        }

        if (missing.Count > 0)
        {
            context.Changed(ChangeFacts.ForPurposes(
                ChangeTypes.ObjectionRecorded,
                subjectId,
                missing.Select(id => catalogue.Purposes[id]),
                new Dictionary<string, string> { ["source"] = ChoiceSources.Gpc }));
        }

        return VaultResult<IReadOnlyList<string>>.Ok(missing);
    }

    protected override bool Keeps(VaultResult<IReadOnlyList<string>> result) => result.Outcome == VaultOutcome.Ok;
}

/// <summary>
/// GDPR Art. 18: a restriction (or its lifting), recorded as an event and mirrored in the subject's status. A lift
/// is checked against who recorded the restriction in force (<see cref="ChoiceLifts"/>) in the writer's
/// transaction; with nothing in force, nothing is written.
/// </summary>
internal sealed class RestrictionWrite(string subjectId, string action, string reason, Actor actor, PolicyCatalogue catalogue, TimeProvider time)
    : VaultWrite<VaultResult<bool>>
{
    public const string Restricted = "restricted";
    public const string Lifted = ChoiceLifts.Lifted;

    protected override VaultResult<bool> Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<bool>.Gone() : VaultResult<bool>.NotFound();
        }

        if (action == Lifted)
        {
            var inForce = ChoiceLifts.InForce(
                context,
                "SELECT action, actor_type, actor_id, NULL FROM restriction_events WHERE subject_id = $1 ORDER BY occurred_at, id;",
                subjectId);
            if (inForce.Count == 0)
            {
                return VaultResult<bool>.Ok(false);
            }

            if (ChoiceLifts.Refusal(actor, inForce, directMarketing: false) is { } refusal)
            {
                return VaultResult<bool>.Refused(refusal);
            }
        }

        var now = time.GetUtcNow();
        context.Execute(
            """
            INSERT INTO restriction_events (id, subject_id, action, reason, occurred_at, actor_type, actor_id)
            VALUES ($1, $2, $3, $4, $5, $6, $7);
            """,
            RecordId.New(time),
            subjectId,
            action,
            reason,
            now,
            actor.Type,
            actor.Id);
        context.Execute(
            "UPDATE subjects SET status = $2, updated_at = $3 WHERE id = $1;",
            subjectId,
            SubjectService.StatusText(action == Restricted ? SubjectStatus.Restricted : SubjectStatus.Active),
            now);
        context.Changed(ChangeFacts.ForSubject(
            action == Restricted ? ChangeTypes.RestrictionPlaced : ChangeTypes.RestrictionLifted,
            subjectId,
            SubjectRows.StoredFields(context, subjectId),
            catalogue));
        return VaultResult<bool>.Ok(true);
    }

    protected override bool Keeps(VaultResult<bool> result) => result.Outcome == VaultOutcome.Ok;
}
