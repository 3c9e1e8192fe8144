using System.Globalization;
using System.Text;
using System.Text.Json;
using DataVault.Policies;
using DataVault.Vault.Encryption;
using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Subjects;

/// <summary>
/// The application service for subjects: create, read, rectify, look up and erase. The API and the
/// portal both call it, so both pass the same validation and the same encryption path.
/// </summary>
internal sealed class SubjectService(
    VaultDbContext db,
    PolicyCatalogue catalogue,
    DataKeyStore keys,
    BlindIndex blindIndex,
    VaultWriteGate writes,
    TimeProvider time,
    ILogger<SubjectService> logger,
    IEnumerable<IErasureStep> erasureSteps)
{
    public async Task<VaultResult<SubjectSnapshot>> CreateAsync(IReadOnlyDictionary<string, JsonElement> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var now = time.GetUtcNow();
        var (canonical, errors) = FieldSetValidator.Validate(catalogue, fields, DateOnly.FromDateTime(now.UtcDateTime));
        if (errors.Count > 0)
        {
            return VaultResult<SubjectSnapshot>.Invalid(errors);
        }

        var subjectId = SubjectId.New(time);
        using (await writes.EnterAsync(cancellationToken))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            db.Subjects.Add(new SubjectRecord { Id = subjectId, Status = StatusText(SubjectStatus.Active), CreatedAt = now, UpdatedAt = now });
            await WriteVersionsAsync(subjectId, canonical, now, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        db.ChangeTracker.Clear();
        Log.SubjectCreated(logger, subjectId, canonical.Count);
        return VaultResult<SubjectSnapshot>.Ok((await ReadAsync(subjectId, cancellationToken))!);
    }

    public async Task<VaultResult<SubjectSnapshot>> GetAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await FindSubjectAsync(subjectId, cancellationToken);
        if (subject is null)
        {
            return VaultResult<SubjectSnapshot>.NotFound();
        }

        if (subject.ErasedAt is not null)
        {
            return VaultResult<SubjectSnapshot>.Gone();
        }

        return VaultResult<SubjectSnapshot>.Ok((await ReadAsync(subjectId, cancellationToken))!);
    }

    /// <summary>Whether the subject has a value of <paramref name="field"/> (any version), without reading it.</summary>
    public Task<bool> HoldsFieldAsync(string subjectId, string field, CancellationToken cancellationToken) =>
        db.FieldValues.AnyAsync(v => v.SubjectId == subjectId && v.Field == field, cancellationToken);

    /// <summary>GDPR Art. 16: each changed field gets a new version; earlier versions stay until erasure.</summary>
    public async Task<VaultResult<SubjectSnapshot>> RectifyAsync(string subjectId, IReadOnlyDictionary<string, JsonElement> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var now = time.GetUtcNow();
        var (canonical, errors) = FieldSetValidator.Validate(catalogue, fields, DateOnly.FromDateTime(now.UtcDateTime));
        if (errors.Count == 0 && canonical.Count == 0)
        {
            errors["fields"] = ["At least one field must be given."];
        }

        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<SubjectSnapshot>.NotFound();
        }

        using var write = await writes.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var subject = await db.Subjects.SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        if (subject is null)
        {
            return VaultResult<SubjectSnapshot>.NotFound();
        }

        if (subject.ErasedAt is not null)
        {
            return VaultResult<SubjectSnapshot>.Gone();
        }

        if (errors.Count > 0)
        {
            return VaultResult<SubjectSnapshot>.Invalid(errors);
        }

        subject.UpdatedAt = now;
        await WriteVersionsAsync(subjectId, canonical, now, cancellationToken);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        write.Dispose();
        db.ChangeTracker.Clear();
        Log.SubjectRectified(logger, subjectId, canonical.Count);
        return VaultResult<SubjectSnapshot>.Ok((await ReadAsync(subjectId, cancellationToken))!);
    }

    /// <summary>Looks subjects up by the blind index of a searchable field; erased subjects are never found.</summary>
    public async Task<VaultResult<IReadOnlyList<string>>> FindAsync(string field, string value, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!catalogue.Fields.TryGetValue(field, out var definition) || !definition.Searchable)
        {
            return VaultResult<IReadOnlyList<string>>.Invalid(new Dictionary<string, string[]> { [field] = ["Is not a searchable field."] });
        }

        var normalized = FieldValues.NormalizeForLookup(definition, value);
        if (normalized is null)
        {
            return VaultResult<IReadOnlyList<string>>.Invalid(new Dictionary<string, string[]> { [field] = [$"Is not a valid {field} value."] });
        }

        var digest = blindIndex.Compute(field, normalized);
        var ids = await db.BlindIndex.AsNoTracking()
            .Where(b => b.Field == field && b.Digest == digest)
            .Join(db.Subjects.Where(s => s.ErasedAt == null), b => b.SubjectId, s => s.Id, (b, s) => s.Id)
            .OrderBy(id => id)
            .Take(100)
            .ToListAsync(cancellationToken);
        return VaultResult<IReadOnlyList<string>>.Ok(ids);
    }

    /// <summary>
    /// What <see cref="EraseAsync"/> would do if asked now (GDPR Art. 12(1), 17(3)(b): the subject is told
    /// beforehand what goes and what the law keeps): each field held, with the date its legal hold would
    /// end, or none when it would be destroyed at once. Names only, never values.
    /// </summary>
    public async Task<VaultResult<ErasurePlan>> PlanErasureAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await FindSubjectAsync(subjectId, cancellationToken);
        if (subject is null)
        {
            return VaultResult<ErasurePlan>.NotFound();
        }

        if (subject.ErasedAt is not null)
        {
            return VaultResult<ErasurePlan>.Gone();
        }

        var now = time.GetUtcNow();
        var fields = await db.LatestFieldVersions()
            .Where(v => v.SubjectId == subjectId)
            .OrderBy(v => v.Field)
            .Select(v => new { v.Field, v.KeyGroup })
            .ToListAsync(cancellationToken);
        return VaultResult<ErasurePlan>.Ok(new ErasurePlan(
            fields.Select(f => new PlannedFieldErasure(f.Field, f.KeyGroup, HeldUntil(f.KeyGroup, now))).ToList()));
    }

    /// <summary>
    /// GDPR Art. 17 by crypto-shredding: the data keys of every group without a legal hold are
    /// deleted together with their ciphertexts and the blind index; legal-hold groups are kept until
    /// their retention ends. The subject row stays as a tombstone, so the id answers 410 afterwards.
    /// </summary>
    public async Task<VaultResult<ErasureReceipt>> EraseAsync(string subjectId, string requestedBy, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var shredded = new List<string>();
        var retained = new List<RetainedKeyGroup>();
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<ErasureReceipt>.NotFound();
        }

        // The gate is held through the write-ahead log truncation, which needs the write lock too.
        using var write = await writes.EnterAsync(cancellationToken);
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await VaultStorage.EnableSecureDeleteAsync(db, cancellationToken);
            var subject = await db.Subjects.SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
            if (subject is null)
            {
                return VaultResult<ErasureReceipt>.NotFound();
            }

            if (subject.ErasedAt is not null)
            {
                return VaultResult<ErasureReceipt>.Gone();
            }

            var dataKeys = await db.DataKeys.Where(k => k.SubjectId == subjectId).OrderBy(k => k.KeyGroup).ToListAsync(cancellationToken);
            foreach (var dataKey in dataKeys)
            {
                if (HeldUntil(dataKey.KeyGroup, now) is { } until)
                {
                    dataKey.RetainUntil = until;
                    retained.Add(new RetainedKeyGroup(dataKey.KeyGroup, dataKey.RetainUntil.Value));
                }
                else
                {
                    db.DataKeys.Remove(dataKey);
                    shredded.Add(dataKey.KeyGroup);
                }
            }

            await db.FieldValues.Where(v => v.SubjectId == subjectId && shredded.Contains(v.KeyGroup)).ExecuteDeleteAsync(cancellationToken);
            await db.BlindIndex.Where(b => b.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

            // Consent, objection and restriction events are the subject's personal decisions; only
            // erasure removes them. What stays provable is the erasure itself (receipt, tombstone).
            await db.ConsentEvents.Where(e => e.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
            await db.ObjectionEvents.Where(e => e.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);
            await db.RestrictionEvents.Where(e => e.SubjectId == subjectId).ExecuteDeleteAsync(cancellationToken);

            // Data linked to the subject outside these tables (the portal account) goes in this transaction too.
            foreach (var step in erasureSteps)
            {
                await step.EraseAsync(db.Database, subjectId, cancellationToken);
            }

            subject.Status = StatusText(SubjectStatus.Erased);
            subject.ErasedAt = now;
            subject.UpdatedAt = now;
            db.ErasureReceipts.Add(new ErasureReceiptRecord
            {
                Id = SubjectId.New(time),
                SubjectId = subjectId,
                ErasedAt = now,
                RequestedBy = requestedBy,
                ShreddedKeyGroups = string.Join(',', shredded),
                RetainedKeyGroups = string.Join(',', retained.Select(r => r.KeyGroup + "=" + r.RetainUntil.ToString("O", CultureInfo.InvariantCulture))),
            });
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        keys.Evict(subjectId, shredded);
        await VaultStorage.TruncateWriteAheadLogAsync(db, logger, cancellationToken);
        write.Dispose();
        Log.SubjectErased(logger, subjectId, shredded.Count, retained.Count);
        var receipt = await db.ErasureReceipts.AsNoTracking().SingleAsync(r => r.SubjectId == subjectId, cancellationToken);
        return VaultResult<ErasureReceipt>.Ok(new ErasureReceipt(receipt.Id, subjectId, now, shredded, retained));
    }

    /// <summary>When a key group's legal hold would end if the subject were erased at <paramref name="now"/>; null when it has none.</summary>
    private DateTimeOffset? HeldUntil(string keyGroup, DateTimeOffset now) =>
        catalogue.KeyGroups.TryGetValue(keyGroup, out var group) && group.RetainAfterErasure is { } hold ? hold.AddTo(now) : null;

    internal static string StatusText(SubjectStatus status) => status switch
    {
        SubjectStatus.Active => "active",
        SubjectStatus.Restricted => "restricted",
        SubjectStatus.Erased => "erased",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    private static SubjectStatus ParseStatus(string status) => status switch
    {
        "active" => SubjectStatus.Active,
        "restricted" => SubjectStatus.Restricted,
        "erased" => SubjectStatus.Erased,
        _ => throw new InvalidDataException($"Unknown subject status in the database: '{status}'."),
    };

    private async Task<SubjectRecord?> FindSubjectAsync(string subjectId, CancellationToken cancellationToken) =>
        SubjectId.IsWellFormed(subjectId)
            ? await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken)
            : null;

    private async Task WriteVersionsAsync(string subjectId, Dictionary<string, string> canonical, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var names = canonical.Keys.ToList();
        var latest = await db.FieldValues.AsNoTracking()
            .Where(v => v.SubjectId == subjectId && names.Contains(v.Field))
            .GroupBy(v => v.Field)
            .Select(g => new { Field = g.Key, Version = g.Max(v => v.Version) })
            .ToDictionaryAsync(x => x.Field, x => x.Version, StringComparer.Ordinal, cancellationToken);

        foreach (var (name, json) in canonical.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var definition = catalogue.Fields[name];
            var version = latest.GetValueOrDefault(name) + 1;
            var key = await keys.GetOrCreateAsync(subjectId, definition.KeyGroup, cancellationToken);
            db.FieldValues.Add(new FieldValueRecord
            {
                SubjectId = subjectId,
                Field = name,
                Version = version,
                KeyGroup = definition.KeyGroup,
                Ciphertext = FieldCipher.Encrypt(key, subjectId, name, version, Encoding.UTF8.GetBytes(json)),
                CreatedAt = now,
            });

            if (definition.Searchable)
            {
                await IndexAsync(subjectId, definition, json, cancellationToken);
            }
        }
    }

    private async Task IndexAsync(string subjectId, FieldDefinition definition, string canonicalJson, CancellationToken cancellationToken)
    {
        var normalized = FieldValues.NormalizeForLookup(definition, JsonSerializer.Deserialize<string>(canonicalJson)!);
        if (normalized is null)
        {
            return;
        }

        var digest = blindIndex.Compute(definition.Name, normalized);
        var entry = await db.BlindIndex.SingleOrDefaultAsync(b => b.SubjectId == subjectId && b.Field == definition.Name, cancellationToken);
        if (entry is null)
        {
            db.BlindIndex.Add(new BlindIndexRecord { SubjectId = subjectId, Field = definition.Name, Digest = digest });
        }
        else
        {
            entry.Digest = digest;
        }
    }

    private async Task<SubjectSnapshot?> ReadAsync(string subjectId, CancellationToken cancellationToken)
    {
        var subject = await db.Subjects.AsNoTracking().SingleOrDefaultAsync(s => s.Id == subjectId, cancellationToken);
        if (subject is null)
        {
            return null;
        }

        var latest = await db.LatestFieldVersions()
            .Where(v => v.SubjectId == subjectId)
            .OrderBy(v => v.Field)
            .ToListAsync(cancellationToken);

        var fields = new List<FieldSnapshot>(latest.Count);
        foreach (var version in latest)
        {
            if (await keys.DecryptAsync(version, cancellationToken) is { } field)
            {
                fields.Add(field);
            }
        }

        return new SubjectSnapshot(subject.Id, ParseStatus(subject.Status), subject.CreatedAt, subject.UpdatedAt, fields);
    }
}
