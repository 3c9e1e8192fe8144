using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Release;

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
/// Aggregate consent figures for the compliance officer, counted in SQL from the consent events alone by the
/// loader of the release rule's inputs (<see cref="ReleaseLoader"/>): no field is decrypted and no subject is
/// named. Each subject's state is its latest event
/// per purpose, classified by the same rule the release policy applies (<see cref="ConsentHistory"/>),
/// so "given" here means exactly "would be released for this purpose". Erased subjects are left out.
/// </summary>
public sealed class ConsentStatistics
{
    private readonly ReleaseLoader loader;
    private readonly PolicyCatalogue catalogue;
    private readonly TimeProvider time;

    internal ConsentStatistics(ReleaseLoader loader, PolicyCatalogue catalogue, TimeProvider time)
    {
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
    public Task<ConsentOverview> GetOverviewAsync(int days, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(days);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(days, MaxDays);
        var now = time.GetUtcNow();
        var purposes = catalogue.Purposes.Values
            .Where(p => p.LawfulBasis == LawfulBasis.Consent)
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .ToList();
        var versions = loader.ReadPurposeVersions();
        var subjects = loader.CountLiveSubjects();

        var current = Count(now, versions);
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
            cancellationToken.ThrowIfCancellationRequested();
            var at = now.AddDays(-back);
            var states = back == 0 ? current : Count(at, versions);
            trend.Add(new ConsentTrendPoint(at, InState(states, EffectiveConsent.Given), InState(states, EffectiveConsent.Withdrawn)));
        }

        // Objections in force that the signal made, per purpose the catalogue marks as a sale or sharing, and in subjects.
        var objections = loader.ReadGpcObjections();
        var gpcObjections = catalogue.Purposes.Values
            .Where(p => p.GpcObjection)
            .ToDictionary(p => p.Id, p => objections.Count(o => o.PurposeId == p.Id), StringComparer.Ordinal);
        var gpcObjectors = objections.Select(o => o.SubjectId).Distinct(StringComparer.Ordinal).Count();
        return Task.FromResult(new ConsentOverview(now, subjects, counts, trend, gpcObjections, gpcObjectors));

        Dictionary<string, int> InState(Dictionary<string, Dictionary<EffectiveConsent, int>> states, EffectiveConsent state) =>
            purposes.ToDictionary(p => p.Id, p => states.GetValueOrDefault(p.Id)?.GetValueOrDefault(state) ?? 0, StringComparer.Ordinal);
    }

    /// <summary>Subjects per purpose and effective state at <paramref name="at"/>, each group of latest events judged by the release policy's own rule.</summary>
    private Dictionary<string, Dictionary<EffectiveConsent, int>> Count(DateTimeOffset at, PurposeVersionHistory versions)
    {
        var counts = new Dictionary<string, Dictionary<EffectiveConsent, int>>(StringComparer.Ordinal);
        foreach (var (latest, subjects) in loader.CountLatestConsents(at))
        {
            if (!catalogue.Purposes.TryGetValue(latest.PurposeId, out var purpose))
            {
                continue;
            }

            var state = ConsentHistory.Evaluate([latest], purpose.Id, versions.VersionAt(purpose.Id, at) ?? purpose.Version, at);
            var byState = counts.TryGetValue(purpose.Id, out var found) ? found : counts[purpose.Id] = [];
            byState[state] = byState.GetValueOrDefault(state) + subjects;
        }

        return counts;
    }
}
