using System.Globalization;
using DataVault.Policies;
using DataVault.Policies.Retention;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Retention;

/// <summary>A statement run by the planner: inside the writer's transaction for the sweep, on a read connection for the preview.</summary>
internal delegate SqliteDataReader RetentionQuery(string sql, params object?[] values);

/// <summary>
/// Gathers, for one subject, where each purpose stands (consent events, objections, ended relationships, the dates its
/// fields were written) and asks <see cref="RetentionRule"/> what must go. The one place the vault turns its records
/// into the rule's inputs, so the sweep and the preview cannot disagree.
/// </summary>
internal sealed class RetentionPlanner(PolicyCatalogue catalogue, IsoPeriod supersededVersions)
{
    private sealed record StoredVersion(string Field, int Version, string KeyGroup, DateTimeOffset CreatedAt);

    private sealed record Subject(
        List<StoredVersion> Versions,
        Dictionary<string, (string State, DateTimeOffset OccurredAt, DateTimeOffset? ExpiresAt)> LatestConsent,
        Dictionary<string, (string Action, DateTimeOffset OccurredAt)> LatestObjection,
        (string Action, DateTimeOffset OccurredAt)? LatestObjectionToAll,
        Dictionary<string, DateTimeOffset> RelationshipEnded);

    /// <summary>The plan for an active subject at <paramref name="now"/>; null for an unknown, erased or restricted one.</summary>
    /// <remarks>
    /// A restricted subject (GDPR Art. 18) is left alone: restriction is what the subject asked for instead of
    /// erasure, typically to keep the data for a legal claim (Art. 18(1)(c)).
    /// </remarks>
    public SubjectRetentionPlan? Plan(RetentionQuery query, string subjectId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        string? status;
        using (var reader = query("SELECT status FROM subjects WHERE id = $1;", subjectId))
        {
            status = reader.Read() ? reader.GetString(0) : null;
        }

        if (status != "active")
        {
            return null;
        }

        var subject = Load(query, subjectId);
        var destructions = new List<RetentionDestruction>();
        var fieldsLeft = 0;
        foreach (var versions in VersionsByField(subject))
        {
            var field = versions[0].Field;
            var purposes = PurposesOf(field);
            var latest = versions[^1];
            var (verdict, _) = Decide(field, latest, subject, now);
            if (verdict.Destroy)
            {
                destructions.Add(new RetentionDestruction(field, versions[0].Version, latest.Version, false, verdict.Because, verdict.PurposeId));
                continue;
            }

            fieldsLeft++;
            var legalObligations = purposes.Where(p => p.LawfulBasis == LawfulBasis.LegalObligation).ToList();
            StoredVersion? lastGone = null;

            // Replaced versions go oldest first: both the dispute period (from the next version) and a legal hold
            // (from the version itself) end in version order.
            for (var i = 0; i < versions.Count - 1; i++)
            {
                var version = versions[i];
                var holds = legalObligations.Select(p => HeldBy(p, field, version.CreatedAt, subject));
                if (!RetentionRule.DecideSuperseded(versions[i + 1].CreatedAt, supersededVersions, holds, RetentionOf, now).Destroy)
                {
                    break;
                }

                lastGone = version;
            }

            if (lastGone is not null)
            {
                destructions.Add(new RetentionDestruction(field, versions[0].Version, lastGone.Version, true, RetentionReasons.Superseded, null));
            }
        }

        return new SubjectRetentionPlan(subjectId, destructions, LeavesNoData: fieldsLeft == 0 && destructions.Count > 0);
    }

    /// <summary>
    /// The fate of each field the subject holds (its latest value) at <paramref name="now"/>, with the basis of the purpose
    /// the verdict names; null for an unknown, erased or restricted subject, whose data no retention clock touches.
    /// </summary>
    public IReadOnlyList<FieldRetention>? Outlook(RetentionQuery query, string subjectId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(query);
        using (var reader = query("SELECT status FROM subjects WHERE id = $1;", subjectId))
        {
            if (!reader.Read() || reader.GetString(0) != "active")
            {
                return null;
            }
        }

        var subject = Load(query, subjectId);
        return VersionsByField(subject)
            .Select(versions =>
            {
                var (verdict, basis) = Decide(versions[0].Field, versions[^1], subject, now);
                return new FieldRetention(versions[0].Field, verdict, basis?.Reason, verdict.PurposeId is { } purpose ? RetentionOf(purpose) : null);
            })
            .ToList();
    }

    /// <summary>The audit entry's fields of a plan: names, versions and the rule, never a value.</summary>
    public static string Describe(SubjectRetentionPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return string.Join(
            ',',
            plan.Destructions.Select(d => string.Create(
                CultureInfo.InvariantCulture,
                $"{d.Field}@{d.FromVersion}-{d.ThroughVersion}:{d.Because}{(d.PurposeId is null ? "" : ":" + d.PurposeId)}")));
    }

    private IsoPeriod RetentionOf(string purposeId) => catalogue.Purposes[purposeId].Retention;

    private static IEnumerable<List<StoredVersion>> VersionsByField(Subject subject) =>
        subject.Versions.GroupBy(v => v.Field, StringComparer.Ordinal).Select(g => g.OrderBy(v => v.Version).ToList());

    private List<PurposeDefinition> PurposesOf(string field) =>
        catalogue.Purposes.Values.Where(p => p.Fields.Contains(field, StringComparer.Ordinal)).ToList();

    /// <summary>The rule's verdict on a field's latest version, and the basis of the purpose it names (if any).</summary>
    private (RetentionVerdict Verdict, PurposeBasis? Basis) Decide(string field, StoredVersion latest, Subject subject, DateTimeOffset now)
    {
        var bases = PurposesOf(field).Select(p => BasisOf(p, field, latest.CreatedAt, subject, now)).ToList();
        var verdict = RetentionRule.Decide(bases, RetentionOf, now);
        return (verdict, bases.FirstOrDefault(b => b.PurposeId == verdict.PurposeId));
    }

    private PurposeBasis BasisOf(PurposeDefinition purpose, string field, DateTimeOffset written, Subject subject, DateTimeOffset now)
    {
        var basis = purpose.LawfulBasis switch
        {
            LawfulBasis.LegalObligation => HeldBy(purpose, field, written, subject),
            LawfulBasis.Consent => ConsentBasis(purpose, subject, now),
            _ => subject.RelationshipEnded.TryGetValue(purpose.Id, out var ended)
                ? PurposeBasis.Ended(purpose.Id, ended, BasisEnd.RelationshipEnded)
                : PurposeBasis.Valid(purpose.Id),
        };

        // GDPR Art. 21: an objection in force ends the purpose (a legal obligation is not open to objection).
        if (basis.Started && purpose.LawfulBasis != LawfulBasis.LegalObligation && ObjectedSince(purpose, subject) is { } objected
            && (basis.EndedAt is null || objected < basis.EndedAt))
        {
            return PurposeBasis.Ended(purpose.Id, objected, BasisEnd.ObjectionUpheld);
        }

        return basis;
    }

    private static PurposeBasis ConsentBasis(PurposeDefinition purpose, Subject subject, DateTimeOffset now)
    {
        if (!subject.LatestConsent.TryGetValue(purpose.Id, out var latest))
        {
            return PurposeBasis.NotStarted(purpose.Id);
        }

        return latest.State switch
        {
            "given" when latest.ExpiresAt is { } expires && expires <= now => PurposeBasis.Ended(purpose.Id, expires, BasisEnd.ConsentExpired),
            "given" => PurposeBasis.Valid(purpose.Id),
            "withdrawn" => PurposeBasis.Ended(purpose.Id, latest.OccurredAt, BasisEnd.ConsentWithdrawn),
            "refused" => PurposeBasis.Ended(purpose.Id, latest.OccurredAt, BasisEnd.ConsentRefused),
            _ => PurposeBasis.Ended(purpose.Id, latest.OccurredAt, BasisEnd.ConsentExpired),
        };
    }

    /// <summary>
    /// A legal obligation (e.g. invoicing) holds a field from when the record was written: the version's own date for
    /// a field of a legal-hold key group, else the date of the subject's latest legal-hold record; not at all for a
    /// subject without such records.
    /// </summary>
    private PurposeBasis HeldBy(PurposeDefinition purpose, string field, DateTimeOffset written, Subject subject)
    {
        if (IsHeldGroup(catalogue.Fields.GetValueOrDefault(field)?.KeyGroup))
        {
            return PurposeBasis.Ended(purpose.Id, written, BasisEnd.RecordWritten);
        }

        var records = subject.Versions.Where(v => purpose.Fields.Contains(v.Field, StringComparer.Ordinal) && IsHeldGroup(v.KeyGroup)).ToList();
        return records.Count == 0
            ? PurposeBasis.NotStarted(purpose.Id)
            : PurposeBasis.Ended(purpose.Id, records.Max(v => v.CreatedAt), BasisEnd.RecordWritten);
    }

    private bool IsHeldGroup(string? keyGroup) =>
        keyGroup is not null && catalogue.KeyGroups.TryGetValue(keyGroup, out var group) && group.RetainAfterErasure is not null;

    private static DateTimeOffset? ObjectedSince(PurposeDefinition purpose, Subject subject)
    {
        DateTimeOffset? since = null;
        if (subject.LatestObjection.TryGetValue(purpose.Id, out var own) && own.Action == "objected")
        {
            since = own.OccurredAt;
        }

        if (subject.LatestObjectionToAll is { Action: "objected" } all && (since is null || all.OccurredAt < since))
        {
            since = all.OccurredAt;
        }

        return since;
    }

    private static Subject Load(RetentionQuery query, string subjectId)
    {
        var versions = new List<StoredVersion>();
        using (var reader = query("SELECT field, version, key_group, created_at FROM field_values WHERE subject_id = $1;", subjectId))
        {
            while (reader.Read())
            {
                versions.Add(new StoredVersion(reader.GetString(0), reader.GetInt32(1), reader.GetString(2), StoredInstant.Parse(reader.GetString(3))));
            }
        }

        var consents = new Dictionary<string, (string, DateTimeOffset, DateTimeOffset?)>(StringComparer.Ordinal);
        using (var reader = query("SELECT purpose_id, state, occurred_at, expires_at FROM consent_events WHERE subject_id = $1 ORDER BY occurred_at, id;", subjectId))
        {
            while (reader.Read())
            {
                consents[reader.GetString(0)] = (reader.GetString(1), StoredInstant.Parse(reader.GetString(2)), reader.IsDBNull(3) ? null : StoredInstant.Parse(reader.GetString(3)));
            }
        }

        var objections = new Dictionary<string, (string, DateTimeOffset)>(StringComparer.Ordinal);
        (string, DateTimeOffset)? toAll = null;
        using (var reader = query("SELECT purpose_id, action, occurred_at FROM objection_events WHERE subject_id = $1 ORDER BY occurred_at, id;", subjectId))
        {
            while (reader.Read())
            {
                var latest = (reader.GetString(1), StoredInstant.Parse(reader.GetString(2)));
                if (reader.IsDBNull(0))
                {
                    toAll = latest;
                }
                else
                {
                    objections[reader.GetString(0)] = latest;
                }
            }
        }

        var relationships = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        using (var reader = query("SELECT purpose_id, MAX(ended_at) FROM relationship_events WHERE subject_id = $1 GROUP BY purpose_id;", subjectId))
        {
            while (reader.Read())
            {
                relationships[reader.GetString(0)] = StoredInstant.Parse(reader.GetString(1));
            }
        }

        return new Subject(versions, consents, objections, toAll, relationships);
    }
}
