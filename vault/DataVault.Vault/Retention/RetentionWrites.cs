using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Retention;

/// <summary>
/// The end of the relationship a contract or legitimate-interest purpose served (GDPR Art. 6(1)(b), (f)): from it
/// the purpose's retention runs. Appended like consent events; only erasure removes it.
/// </summary>
internal sealed class RelationshipEndedWrite(
    string subjectId, string purposeId, DateTimeOffset endedAt, string? reason, Actor actor, TimeProvider time)
    : VaultWrite<VaultResult<RelationshipEndView>>
{
    protected override VaultResult<RelationshipEndView> Execute(VaultWriteContext context)
    {
        var subject = SubjectRows.Check(context, subjectId);
        if (subject != VaultOutcome.Ok)
        {
            return subject == VaultOutcome.Gone ? VaultResult<RelationshipEndView>.Gone() : VaultResult<RelationshipEndView>.NotFound();
        }

        var id = RecordId.New(time);
        var now = time.GetUtcNow();
        context.Execute(
            """
            INSERT INTO relationship_events (id, subject_id, purpose_id, ended_at, recorded_at, actor_type, actor_id, reason)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8);
            """,
            id,
            subjectId,
            purposeId,
            endedAt,
            now,
            actor.Type,
            actor.Id,
            reason);
        return VaultResult<RelationshipEndView>.Ok(new RelationshipEndView(id, purposeId, endedAt, now, reason));
    }

    protected override bool Keeps(VaultResult<RelationshipEndView> result) => result.Outcome == VaultOutcome.Ok;
}

/// <summary>What the sweep destroyed of one subject; <see cref="ReceiptId"/> is set when the subject became a tombstone.</summary>
internal sealed record RetentionDestroyed(SubjectRetentionPlan Plan, string? ReceiptId);

/// <summary>
/// GDPR Art. 5(1)(e), 17(1)(a): destroys what the retention rule says must go for one subject, decided again inside
/// the writer's transaction so that nothing recorded since the plan was made (a new consent) is overlooked.
/// </summary>
/// <remarks>
/// The cost does not grow with what is kept. A key group none of whose fields remains is crypto-shredded (its data key
/// deleted, its ciphertexts queued for <see cref="CiphertextPurge"/>), whatever its history, as an erasure does; only
/// the versions of a field that goes while others of its group stay are deleted one by one, and each version is
/// deleted once. The writer's connection overwrites what it deletes and the write-ahead log is truncated before the
/// sweep goes on. A subject left with no data becomes a tombstone with a receipt, as after an erasure.
/// </remarks>
internal sealed class RetentionDestroyWrite(
    string subjectId,
    RetentionPlanner planner,
    PolicyCatalogue catalogue,
    IEnumerable<IErasureStep> erasureSteps,
    DataKeyCache keyCache,
    TimeProvider time) : VaultWrite<RetentionDestroyed?>
{
    /// <summary>Who a retention tombstone's receipt names as having asked for it.</summary>
    public const string RequestedBy = "retention";

    private readonly List<string> _shredded = [];

    protected override RetentionDestroyed? Execute(VaultWriteContext context)
    {
        _shredded.Clear();
        var now = time.GetUtcNow();
        var plan = planner.Plan(context.Query, subjectId, now);
        if (plan is null || plan.Destructions.Count == 0)
        {
            return null;
        }

        var gone = plan.Destructions.Where(d => !d.Superseded).Select(d => d.Field).ToHashSet(StringComparer.Ordinal);
        var fieldsByGroup = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        using (var reader = context.Query("SELECT DISTINCT key_group, field FROM field_values WHERE subject_id = $1;", subjectId))
        {
            while (reader.Read())
            {
                var group = reader.GetString(0);
                if (!fieldsByGroup.TryGetValue(group, out var fields))
                {
                    fieldsByGroup[group] = fields = new HashSet<string>(StringComparer.Ordinal);
                }

                fields.Add(reader.GetString(1));
            }
        }

        var shreddedFields = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (group, fields) in fieldsByGroup.Where(g => g.Value.IsSubsetOf(gone)))
        {
            context.Execute("DELETE FROM data_keys WHERE subject_id = $1 AND key_group = $2;", subjectId, group);
            CiphertextPurge.Enqueue(context, subjectId, group, now);
            _shredded.Add(group);
            shreddedFields.UnionWith(fields);
        }

        foreach (var destruction in plan.Destructions.Where(d => d.Superseded || !shreddedFields.Contains(d.Field)))
        {
            context.Execute(
                "DELETE FROM field_values WHERE subject_id = $1 AND field = $2 AND version BETWEEN $3 AND $4;",
                subjectId,
                destruction.Field,
                destruction.FromVersion,
                destruction.ThroughVersion);
        }

        foreach (var field in gone)
        {
            context.Execute("DELETE FROM blind_index WHERE subject_id = $1 AND field = $2;", subjectId, field);
        }

        string? receiptId = null;
        if (plan.LeavesNoData)
        {
            receiptId = Tombstone(context, now);
        }

        if (gone.Count > 0)
        {
            // Recipients that hold these fields are told to destroy their copies too (GDPR Art. 17(2), 19).
            context.Changed(ChangeFacts.ForFields(ChangeTypes.DataDestroyed, subjectId, gone, catalogue));
        }

        context.MarkErasure();
        return new RetentionDestroyed(plan, receiptId);
    }

    protected override bool Keeps(RetentionDestroyed? result) => result is not null;

    /// <summary>A shredded key must not outlive its row in memory.</summary>
    protected override void OnCommitted(RetentionDestroyed? result)
    {
        foreach (var group in _shredded)
        {
            keyCache.Evict(subjectId, group);
        }
    }

    /// <summary>As an erasure leaves it: no keys, events or linked data; the row as a tombstone; a receipt.</summary>
    private string Tombstone(VaultWriteContext context, DateTimeOffset now)
    {
        // Keys of groups that held no field any more (none left after the sweep).
        using (var reader = context.Query("SELECT key_group FROM data_keys WHERE subject_id = $1;", subjectId))
        {
            while (reader.Read())
            {
                _shredded.Add(reader.GetString(0));
            }
        }

        context.Execute("DELETE FROM data_keys WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM blind_index WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM consent_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM objection_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM restriction_events WHERE subject_id = $1;", subjectId);
        context.Execute("DELETE FROM relationship_events WHERE subject_id = $1;", subjectId);
        foreach (var step in erasureSteps)
        {
            step.Erase(context, subjectId);
        }

        context.Execute(
            "UPDATE subjects SET status = $2, erased_at = $3, updated_at = $3 WHERE id = $1;",
            subjectId,
            SubjectService.StatusText(SubjectStatus.Erased),
            now);
        var receiptId = RecordId.New(time);
        context.Execute(
            """
            INSERT INTO erasure_receipts (id, subject_id, erased_at, requested_by, shredded_key_groups, retained_key_groups)
            VALUES ($1, $2, $3, $4, $5, '');
            """,
            receiptId,
            subjectId,
            now,
            RequestedBy,
            string.Join(',', _shredded.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)));
        return receiptId;
    }
}

/// <summary>Moves the sweep's place in its pass: after <paramref name="afterSubjectId"/>, or back to the start when null.</summary>
internal sealed class RetentionCursorWrite(string? afterSubjectId, DateTimeOffset passStartedAt) : VaultWrite<bool>
{
    protected override bool Execute(VaultWriteContext context)
    {
        if (afterSubjectId is null)
        {
            context.Execute("DELETE FROM retention_sweep;");
        }
        else
        {
            context.Execute(
                """
                INSERT INTO retention_sweep (id, after_subject_id, pass_started_at) VALUES (1, $1, $2)
                ON CONFLICT (id) DO UPDATE SET after_subject_id = excluded.after_subject_id;
                """,
                afterSubjectId,
                passStartedAt);
        }

        return true;
    }
}
