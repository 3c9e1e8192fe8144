using System.Globalization;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Retention;

/// <summary>
/// Storage limitation that is enforced (GDPR Art. 5(1)(e), 17(1)(a)): records the end of relationships, previews what
/// the retention rule would destroy at a date, and sweeps — destroying, subject by subject, each through the vault
/// writer and audited, what the rule says must go.
/// </summary>
public sealed class RetentionEngine
{
    /// <summary>The actor id of the sweep's audit entries (a system action).</summary>
    public const string Actor = "retention";

    private const int MaxReasonLength = 500;

    private readonly VaultWriter _writer;
    private readonly VaultDatabase _database;
    private readonly PolicyCatalogue _catalogue;
    private readonly RetentionPlanner _planner;
    private readonly IEnumerable<IErasureStep> _erasureSteps;
    private readonly DataKeyCache _keyCache;
    private readonly RetentionService _legalHolds;
    private readonly AuditRecorder _recorder;
    private readonly RetentionOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<RetentionEngine> _logger;

    internal RetentionEngine(
        VaultWriter writer,
        VaultDatabase database,
        PolicyCatalogue catalogue,
        IEnumerable<IErasureStep> erasureSteps,
        DataKeyCache keyCache,
        RetentionService legalHolds,
        AuditRecorder recorder,
        IOptions<RetentionOptions> options,
        TimeProvider time,
        ILogger<RetentionEngine> logger)
    {
        _writer = writer;
        _database = database;
        _catalogue = catalogue;
        _erasureSteps = erasureSteps;
        _keyCache = keyCache;
        _legalHolds = legalHolds;
        _recorder = recorder;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _planner = new RetentionPlanner(catalogue, IsoPeriod.Parse(_options.SupersededVersions));
    }

    /// <summary>
    /// Records that the relationship a contract or legitimate-interest purpose served ended at <paramref name="endedAt"/>
    /// (not in the future): the purpose's retention runs from then. Invalid for another purpose, whose retention runs
    /// from its own events (consent, objection, the record itself).
    /// </summary>
    public async Task<VaultResult<RelationshipEndView>> EndRelationshipAsync(
        string subjectId, string purposeId, DateTimeOffset endedAt, string? reason, Audit.Actor actor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (!_catalogue.Purposes.TryGetValue(purposeId, out var purpose))
        {
            errors["purposeId"] = ["Is not a purpose of the catalogue."];
        }
        else if (purpose.LawfulBasis is not (LawfulBasis.Contract or LawfulBasis.LegitimateInterests))
        {
            errors["purposeId"] = ["Is not a contract or legitimate-interest purpose: its retention runs from its consent, objection or record, not from a relationship."];
        }

        if (endedAt > _time.GetUtcNow())
        {
            errors["endedAt"] = ["Is in the future: record the end once it has happened."];
        }

        string? text = null;
        if (reason is not null && FieldValues.ValidateFreeText(reason, MaxReasonLength, out text) is { } error)
        {
            errors["reason"] = [error];
        }

        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<RelationshipEndView>.NotFound();
        }

        if (errors.Count > 0)
        {
            return VaultResult<RelationshipEndView>.Invalid(errors);
        }

        var result = await _writer.WriteAsync(new RelationshipEndedWrite(subjectId, purposeId, endedAt, text, actor, _time), cancellationToken);
        if (result.Outcome == VaultOutcome.Ok)
        {
            Log.RelationshipEnded(_logger, subjectId, purposeId);
        }

        return result;
    }

    /// <summary>The ends of relationships recorded for the subject, oldest first.</summary>
    public async Task<VaultResult<IReadOnlyList<RelationshipEndView>>> GetRelationshipEndsAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<IReadOnlyList<RelationshipEndView>>.NotFound();
        }

        await using var connection = await OpenAsync(cancellationToken);
        using (var reader = connection.Query("SELECT erased_at IS NOT NULL FROM subjects WHERE id = $1;", subjectId))
        {
            if (!reader.Read())
            {
                return VaultResult<IReadOnlyList<RelationshipEndView>>.NotFound();
            }

            if (reader.GetInt64(0) != 0)
            {
                return VaultResult<IReadOnlyList<RelationshipEndView>>.Gone();
            }
        }

        var ends = new List<RelationshipEndView>();
        using (var reader = connection.Query("SELECT id, purpose_id, ended_at, recorded_at, reason FROM relationship_events WHERE subject_id = $1 ORDER BY recorded_at, id;", subjectId))
        {
            while (reader.Read())
            {
                ends.Add(new RelationshipEndView(
                    reader.GetString(0),
                    reader.GetString(1),
                    StoredInstant.Parse(reader.GetString(2)),
                    StoredInstant.Parse(reader.GetString(3)),
                    reader.IsDBNull(4) ? null : reader.GetString(4)));
            }
        }

        return VaultResult<IReadOnlyList<RelationshipEndView>>.Ok(ends);
    }

    /// <summary>
    /// When each field the subject holds will be destroyed if nothing changes, and why, as the sweep would decide it now;
    /// null for an unknown, erased or restricted subject. Names, dates and purposes only, never a value.
    /// </summary>
    public async Task<IReadOnlyList<FieldRetention>?> OutlookAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return null;
        }

        await using var connection = await OpenAsync(cancellationToken);
        return _planner.Outlook(connection.Query, subjectId, _time.GetUtcNow());
    }

    /// <summary>What a sweep at <paramref name="at"/> (default now) would destroy, subject by subject, as things stand now.</summary>
    public async Task<IReadOnlyList<SubjectRetentionPlan>> PreviewAsync(DateTimeOffset? at, CancellationToken cancellationToken)
    {
        var instant = at ?? _time.GetUtcNow();
        var plans = new List<SubjectRetentionPlan>();
        await using var connection = await OpenAsync(cancellationToken);
        string? after = string.Empty;
        while (after is not null)
        {
            var ids = SubjectsAfter(connection, after, _options.SubjectsPerStep);
            foreach (var id in ids)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (_planner.Plan(connection.Query, id, instant) is { Destructions.Count: > 0 } plan)
                {
                    plans.Add(plan);
                }
            }

            after = ids.Count == _options.SubjectsPerStep ? ids[^1] : null;
        }

        return plans;
    }

    /// <summary>
    /// One pass of the sweep: ends legal holds that ran out, then goes through the active subjects in id order, each
    /// with something to destroy audited (<see cref="AuditActions.RetentionDestroy"/>: the fields, versions and rule,
    /// never a value) and destroyed in a vault write of its own. Its place is recorded after every step, so a pass
    /// cut short by a restart resumes where it stopped.
    /// </summary>
    /// <returns>How many subjects lost data.</returns>
    public async Task<int> SweepAsync(CancellationToken cancellationToken)
    {
        await _legalHolds.ShredExpiredAsync(cancellationToken);
        var swept = 0;
        await using var connection = await OpenAsync(cancellationToken);
        var (after, passStarted) = Cursor(connection) ?? (string.Empty, _time.GetUtcNow());
        while (true)
        {
            var ids = SubjectsAfter(connection, after, _options.SubjectsPerStep);
            var now = _time.GetUtcNow();
            foreach (var id in ids)
            {
                if (_planner.Plan(connection.Query, id, now) is { Destructions.Count: > 0 } plan)
                {
                    swept += await DestroyAsync(plan, cancellationToken) ? 1 : 0;
                }
            }

            if (ids.Count < _options.SubjectsPerStep)
            {
                await _writer.WriteAsync(new RetentionCursorWrite(null, passStarted), cancellationToken);
                break;
            }

            after = ids[^1];
            await _writer.WriteAsync(new RetentionCursorWrite(after, passStarted), cancellationToken);
        }

        if (swept > 0)
        {
            Log.RetentionSwept(_logger, swept);
        }

        return swept;
    }

    private async Task<bool> DestroyAsync(SubjectRetentionPlan plan, CancellationToken cancellationToken)
    {
        var entry = new AuditEvent(Audit.Actor.System(Actor), AuditActions.RetentionDestroy, plan.SubjectId, Fields: RetentionPlanner.Describe(plan));
        var destroyed = await _recorder.RecordChangeAsync(
            entry,
            () => _writer.WriteAsync(new RetentionDestroyWrite(plan.SubjectId, _planner, _catalogue, _erasureSteps, _keyCache, _time), cancellationToken),
            result => result is null
                ? (entry with { Fields = null }, AuditOutcomes.Failed)
                : (entry with { Fields = RetentionPlanner.Describe(result.Plan) + (result.ReceiptId is null ? "" : ",tombstone") }, AuditOutcomes.Success),
            cancellationToken);
        if (destroyed is not null)
        {
            Log.RetentionDestroyed(_logger, plan.SubjectId, destroyed.Plan.Destructions.Count, destroyed.ReceiptId is not null);
        }

        return destroyed is not null;
    }

    private static (string After, DateTimeOffset PassStarted)? Cursor(RetentionReads connection)
    {
        using var reader = connection.Query("SELECT after_subject_id, pass_started_at FROM retention_sweep WHERE id = 1;");
        return reader.Read() ? (reader.GetString(0), StoredInstant.Parse(reader.GetString(1))) : null;
    }

    private static List<string> SubjectsAfter(RetentionReads connection, string after, int limit)
    {
        var ids = new List<string>();
        using var reader = connection.Query("SELECT id FROM subjects WHERE id > $1 AND status = 'active' ORDER BY id LIMIT $2;", after, limit);
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids;
    }

    private async Task<RetentionReads> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(_database.ConnectionString) { Mode = SqliteOpenMode.ReadOnly }.ToString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return new RetentionReads(connection);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A read-only connection of the preview and the sweep, its statements kept for its life (the sweep runs them once per subject).</summary>
internal sealed class RetentionReads(SqliteConnection connection) : IAsyncDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);

    public SqliteDataReader Query(string sql, params object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            _commands[sql] = command;
        }

        command.Parameters.Clear();
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("$" + (i + 1).ToString(CultureInfo.InvariantCulture), values[i] switch
            {
                null => DBNull.Value,
                DateTimeOffset instant => StoredInstant.Format(instant),
                var value => value,
            });
        }

        return command.ExecuteReader();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var command in _commands.Values)
        {
            await command.DisposeAsync();
        }

        await connection.DisposeAsync();
    }
}
