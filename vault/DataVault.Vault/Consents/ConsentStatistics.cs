using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Release;
using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Consents;

/// <summary>How many subjects stand in each state of consent to one purpose at one instant.</summary>
/// <param name="PurposeId">A consent-based purpose of the catalogue.</param>
/// <param name="Given">Latest event a consent to the version in force that has not expired.</param>
/// <param name="Withdrawn">Latest event a withdrawal (GDPR Art. 7(3)).</param>
/// <param name="Refused">Latest event a refusal.</param>
/// <param name="Expired">Latest event an expiry, or a consent whose <c>expires_at</c> has passed.</param>
/// <param name="OutdatedVersion">Latest event a consent to an earlier version of the purpose: to be asked again.</param>
/// <param name="NeverAsked">Subjects without any consent event for the purpose.</param>
public sealed record PurposeConsentCounts(string PurposeId, int Given, int Withdrawn, int Refused, int Expired, int OutdatedVersion, int NeverAsked);

/// <summary>
/// The number of subjects whose consent to each purpose counted at <paramref name="At"/> (<paramref name="Given"/>),
/// and of those whose latest decision then was a withdrawal (<paramref name="Withdrawn"/>, GDPR Art. 7(3)).
/// </summary>
public sealed record ConsentTrendPoint(DateTimeOffset At, IReadOnlyDictionary<string, int> Given, IReadOnlyDictionary<string, int> Withdrawn);

/// <summary>
/// The officer's consent overview: counts per consent-based purpose now, the given and withdrawn consents over
/// the last days, and the objections made through Global Privacy Control in force now: per purpose
/// (<paramref name="GpcObjections"/>, purposes the catalogue marks as a sale or sharing) and in subjects
/// (<paramref name="GpcObjectors"/>).
/// </summary>
public sealed record ConsentOverview(
    DateTimeOffset At,
    int Subjects,
    IReadOnlyList<PurposeConsentCounts> Purposes,
    IReadOnlyList<ConsentTrendPoint> Trend,
    IReadOnlyDictionary<string, int> GpcObjections,
    int GpcObjectors);

/// <summary>
/// Aggregate consent figures for the compliance officer, computed in SQL from the consent events
/// alone: no field is decrypted and no subject is named. Each subject's state is its latest event
/// per purpose, classified by the same rule the release policy applies (<see cref="ConsentHistory"/>),
/// so "given" here means exactly "would be released for this purpose". Erased subjects are left out.
/// </summary>
public sealed class ConsentStatistics
{
    private readonly VaultDbContext db;
    private readonly ReleaseLoader loader;
    private readonly PolicyCatalogue catalogue;
    private readonly TimeProvider time;

    internal ConsentStatistics(VaultDbContext db, ReleaseLoader loader, PolicyCatalogue catalogue, TimeProvider time)
    {
        this.db = db;
        this.loader = loader;
        this.catalogue = catalogue;
        this.time = time;
    }

    /// <summary>The longest trend that may be asked for, in days.</summary>
    public const int MaxDays = 366;

    /// <summary>
    /// Counts now, a trend point for each of the last <paramref name="days"/> days at this time of day (oldest
    /// first, now last), and the Global Privacy Control objections in force now.
    /// </summary>
    public async Task<ConsentOverview> GetOverviewAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var now = time.GetUtcNow();
        var purposes = catalogue.Purposes.Values
            .Where(p => p.LawfulBasis == LawfulBasis.Consent)
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var versions = loader.ReadPurposeVersions();
        var subjects = await db.Subjects.AsNoTracking().CountAsync(s => s.ErasedAt == null, cancellationToken);

        var current = await CountAsync(now, versions, cancellationToken);
        var counts = purposes.Select(p =>
        {
            var states = current.GetValueOrDefault(p.Id) ?? [];
            var asked = states.Values.Sum();
            return new PurposeConsentCounts(
                p.Id,
                states.GetValueOrDefault(EffectiveConsent.Given),
                states.GetValueOrDefault(EffectiveConsent.Withdrawn),
                states.GetValueOrDefault(EffectiveConsent.Refused),
                states.GetValueOrDefault(EffectiveConsent.Expired),
                states.GetValueOrDefault(EffectiveConsent.OutdatedVersion),
                Math.Max(0, subjects - asked));
        }).ToList();

        var trend = new List<ConsentTrendPoint>(days + 1);
        for (var back = days; back >= 0; back--)
        {
            var at = now.AddDays(-back);
            var states = back == 0 ? current : await CountAsync(at, versions, cancellationToken);
            trend.Add(new ConsentTrendPoint(at, InState(states, EffectiveConsent.Given), InState(states, EffectiveConsent.Withdrawn)));
        }

        var (gpcObjections, gpcObjectors) = await CountGpcObjectionsAsync(cancellationToken);
        return new ConsentOverview(now, subjects, counts, trend, gpcObjections, gpcObjectors);

        Dictionary<string, int> InState(Dictionary<string, Dictionary<EffectiveConsent, int>> states, EffectiveConsent state) =>
            purposes.ToDictionary(p => p.Id, p => states.GetValueOrDefault(p.Id)?.GetValueOrDefault(state) ?? 0, StringComparer.Ordinal);
    }

    /// <summary>
    /// Objections in force that a Global Privacy Control signal made (each subject's latest objection event per
    /// purpose is an objection recorded from the signal): per purpose, and how many subjects have at least one.
    /// </summary>
    private async Task<(Dictionary<string, int> PerPurpose, int Subjects)> CountGpcObjectionsAsync(CancellationToken cancellationToken)
    {
        var rows = await db.Database.SqlQuery<GpcObjectionRow>($"""
            SELECT subject_id AS SubjectId, coalesce(purpose_id, '') AS PurposeId
            FROM (
                SELECT o.subject_id, o.purpose_id, o.action, o.source,
                       ROW_NUMBER() OVER (PARTITION BY o.subject_id, o.purpose_id ORDER BY o.occurred_at DESC, o.id DESC) AS latest
                FROM objection_events o JOIN subjects s ON s.id = o.subject_id
                WHERE s.erased_at IS NULL
            )
            WHERE latest = 1 AND action = 'objected' AND source = 'gpc'
            """).ToListAsync(cancellationToken);
        var perPurpose = catalogue.Purposes.Values
            .Where(p => p.GpcObjection)
            .ToDictionary(p => p.Id, p => rows.Count(r => r.PurposeId == p.Id), StringComparer.Ordinal);
        return (perPurpose, rows.Select(r => r.SubjectId).Distinct(StringComparer.Ordinal).Count());
    }

    /// <summary>Subjects per purpose and effective state at <paramref name="at"/>: one query grouping each subject's latest event.</summary>
    private async Task<Dictionary<string, Dictionary<EffectiveConsent, int>>> CountAsync(
        DateTimeOffset at, PurposeVersionHistory versions, CancellationToken cancellationToken)
    {
        // Stored instants are fixed-width UTC text, so text comparison is time order.
        var instant = StoredInstant.Format(at);
        var rows = await db.Database.SqlQuery<LatestStateRow>($"""
            SELECT purpose_id AS PurposeId, state AS State, purpose_version AS PurposeVersion,
                   CASE WHEN expires_at IS NOT NULL AND expires_at <= {instant} THEN 1 ELSE 0 END AS HasExpired,
                   COUNT(*) AS Subjects
            FROM (
                SELECT c.purpose_id, c.state, c.purpose_version, c.expires_at,
                       ROW_NUMBER() OVER (PARTITION BY c.subject_id, c.purpose_id ORDER BY c.occurred_at DESC, c.id DESC) AS latest
                FROM consent_events c JOIN subjects s ON s.id = c.subject_id
                WHERE s.erased_at IS NULL AND c.occurred_at <= {instant}
            )
            WHERE latest = 1
            GROUP BY purpose_id, state, purpose_version, HasExpired
            """).ToListAsync(cancellationToken);

        var counts = new Dictionary<string, Dictionary<EffectiveConsent, int>>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (!catalogue.Purposes.TryGetValue(row.PurposeId, out var purpose))
            {
                continue;
            }

            // One representative event of the group, judged by the release policy's own rule.
            var latest = new ConsentEvent(row.PurposeId, row.PurposeVersion, ConsentStates.Parse(row.State), at, row.HasExpired ? at : null);
            var state = ConsentHistory.Evaluate([latest], purpose.Id, versions.VersionAt(purpose.Id, at) ?? purpose.Version, at);
            var byState = counts.TryGetValue(purpose.Id, out var found) ? found : counts[purpose.Id] = [];
            byState[state] = byState.GetValueOrDefault(state) + row.Subjects;
        }

        return counts;
    }

    /// <summary>A subject's objection in force made through Global Privacy Control ('' for one to all processing).</summary>
    private sealed class GpcObjectionRow
    {
        public required string SubjectId { get; init; }

        public required string PurposeId { get; init; }
    }

    /// <summary>A group of subjects sharing their latest consent event's purpose, state, version and expiry.</summary>
    private sealed class LatestStateRow
    {
        public required string PurposeId { get; init; }

        public required string State { get; init; }

        public required string PurposeVersion { get; init; }

        public required bool HasExpired { get; init; }

        public required int Subjects { get; init; }
    }
}
