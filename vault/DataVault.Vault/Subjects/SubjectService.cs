using System.Text;
using System.Text.Json;
using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Changes;
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
public sealed class SubjectService
{
    private readonly VaultDbContext db;
    private readonly PolicyCatalogue catalogue;
    private readonly DataKeyStore keys;
    private readonly DataKeyCache keyCache;
    private readonly KeyEncryptionKey kek;
    private readonly BlindIndex blindIndex;
    private readonly VaultWriter writer;
    private readonly TimeProvider time;
    private readonly ILogger<SubjectService> logger;
    private readonly IEnumerable<IErasureStep> erasureSteps;

    internal SubjectService(
        VaultDbContext db,
        PolicyCatalogue catalogue,
        DataKeyStore keys,
        DataKeyCache keyCache,
        KeyEncryptionKey kek,
        BlindIndex blindIndex,
        VaultWriter writer,
        TimeProvider time,
        ILogger<SubjectService> logger,
        IEnumerable<IErasureStep> erasureSteps)
    {
        this.db = db;
        this.catalogue = catalogue;
        this.keys = keys;
        this.keyCache = keyCache;
        this.kek = kek;
        this.blindIndex = blindIndex;
        this.writer = writer;
        this.time = time;
        this.logger = logger;
        this.erasureSteps = erasureSteps;
    }

    public async Task<VaultResult<SubjectSnapshot>> CreateAsync(IReadOnlyDictionary<string, JsonElement> fields, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var now = time.GetUtcNow();
        var (canonical, errors) = FieldSetValidator.Validate(catalogue, fields, DateOnly.FromDateTime(now.UtcDateTime));
        if (errors.Count > 0)
        {
            return VaultResult<SubjectSnapshot>.Invalid(errors);
        }

        // Everything but the inserts happens here, on the request's thread: the single writer only stores the rows.
        var subjectId = SubjectId.New(time);
        var newKeys = new Dictionary<string, NewDataKey>(StringComparer.Ordinal);
        var versions = new List<NewFieldVersion>(canonical.Count);
        var index = new List<NewIndexEntry>();
        var snapshot = new List<FieldSnapshot>(canonical.Count);
        foreach (var (name, json) in canonical.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            var definition = catalogue.Fields[name];
            if (!newKeys.TryGetValue(definition.KeyGroup, out var key))
            {
                key = NewDataKey.Generate(kek, subjectId, definition.KeyGroup);
                newKeys[definition.KeyGroup] = key;
            }

            // A new subject's fields are all version 1.
            versions.Add(new NewFieldVersion(name, 1, definition.KeyGroup, FieldCipher.Encrypt(key.Key, subjectId, name, 1, Encoding.UTF8.GetBytes(json))));
            if (IndexEntry(definition, json) is { } entry)
            {
                index.Add(entry);
            }

            using var value = JsonDocument.Parse(json);
            snapshot.Add(new FieldSnapshot(name, value.RootElement.Clone(), 1, now));
        }

        await writer.WriteAsync(new CreateSubjectWrite(subjectId, now, [.. newKeys.Values], versions, index, keyCache), cancellationToken);
        Log.SubjectCreated(logger, subjectId, canonical.Count);
        return VaultResult<SubjectSnapshot>.Ok(new SubjectSnapshot(subjectId, SubjectStatus.Active, now, now, snapshot));
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

    /// <summary>
    /// The latest value of one text field of a live subject (e.g. the e-mail address on record, to write to
    /// them), decrypted; null when the subject holds none or its key group was shredded. The caller audits
    /// what it does with it.
    /// </summary>
    public async Task<string?> ReadTextFieldAsync(string subjectId, string field, CancellationToken cancellationToken)
    {
        var latest = await db.LatestFieldVersions()
            .Where(v => v.SubjectId == subjectId && v.Field == field)
            .SingleOrDefaultAsync(cancellationToken);
        return latest is not null && await keys.DecryptAsync(latest, cancellationToken) is { Value.ValueKind: JsonValueKind.String } value
            ? value.Value.GetString()
            : null;
    }

    /// <summary>Whether the subject has a value of <paramref name="field"/> (any version), without reading it.</summary>
    public Task<bool> HoldsFieldAsync(string subjectId, string field, CancellationToken cancellationToken) =>
        db.FieldValues.AnyAsync(v => v.SubjectId == subjectId && v.Field == field, cancellationToken);

    /// <summary>GDPR Art. 16: each changed field gets a new version; earlier versions stay until erasure.</summary>
    public async Task<VaultResult<SubjectSnapshot>> RectifyAsync(string subjectId, IReadOnlyDictionary<string, JsonElement> fields, Actor actor, CancellationToken cancellationToken)
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

        // Answered from a read when the change cannot be made; the writer checks the subject again.
        var subject = await FindSubjectAsync(subjectId, cancellationToken);
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

        // Keys are found (or made and wrapped) here rather than on the single writer.
        var found = new Dictionary<string, DataKey>(StringComparer.Ordinal);
        var made = new Dictionary<string, NewDataKey>(StringComparer.Ordinal);
        var index = new List<NewIndexEntry>();
        foreach (var (name, json) in canonical)
        {
            var definition = catalogue.Fields[name];
            if (!found.ContainsKey(definition.KeyGroup) && !made.ContainsKey(definition.KeyGroup))
            {
                if (await keys.FindAsync(subjectId, definition.KeyGroup, cancellationToken) is { } key)
                {
                    found[definition.KeyGroup] = key;
                }
                else
                {
                    made[definition.KeyGroup] = NewDataKey.Generate(kek, subjectId, definition.KeyGroup);
                }
            }

            if (IndexEntry(definition, json) is { } entry)
            {
                index.Add(entry);
            }
        }

        var outcome = await writer.WriteAsync(
            new RectifySubjectWrite(subjectId, canonical, catalogue, found, made, index, kek, keyCache, time) { Origin = ChangeOrigin.Of(actor) },
            cancellationToken);
        switch (outcome)
        {
            case VaultOutcome.NotFound:
                return VaultResult<SubjectSnapshot>.NotFound();
            case VaultOutcome.Gone:
                return VaultResult<SubjectSnapshot>.Gone();
        }

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

        if (LookupDigest(definition, value) is not { } digest)
        {
            return VaultResult<IReadOnlyList<string>>.Invalid(new Dictionary<string, string[]> { [field] = [$"Is not a valid {field} value."] });
        }

        var ids = await db.BlindIndex.AsNoTracking()
            .Where(b => b.Field == field && b.Digest == digest)
            .Join(db.Subjects.Where(s => s.ErasedAt == null), b => b.SubjectId, s => s.Id, (b, s) => s.Id)
            .OrderBy(id => id)
            .Take(100)
            .ToListAsync(cancellationToken);
        return VaultResult<IReadOnlyList<string>>.Ok(ids);
    }

    /// <summary>The blind-index digest of <paramref name="value"/> as a searchable field's lookup form, or null when it has none (not a valid value).</summary>
    public byte[]? LookupDigest(FieldDefinition definition, string value)
    {
        ArgumentNullException.ThrowIfNull(definition);
        return FieldValues.NormalizeForLookup(definition, value) is { } normalized ? blindIndex.Compute(definition.Name, normalized) : null;
    }

    /// <summary>The blind-index digest on record for the subject's current value of a searchable field, or null when it holds none.</summary>
    public async Task<byte[]?> IndexedDigestAsync(string subjectId, string field, CancellationToken cancellationToken) =>
        await db.BlindIndex.AsNoTracking()
            .Where(b => b.SubjectId == subjectId && b.Field == field)
            .Select(b => b.Digest)
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// The current value of one field, decrypted, or null when the subject holds none (or its key group
    /// was shredded). For the vault's own use of a value it must act on (the address an invitation goes
    /// to), not for release to a client: that goes through the purpose check of the release service.
    /// </summary>
    public async Task<JsonElement?> ReadFieldAsync(string subjectId, string field, CancellationToken cancellationToken)
    {
        var version = await db.LatestFieldVersions()
            .Where(v => v.SubjectId == subjectId && v.Field == field)
            .SingleOrDefaultAsync(cancellationToken);
        return version is null ? null : (await keys.DecryptAsync(version, cancellationToken))?.Value;
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

        var fields = await db.LatestFieldVersions()
            .Where(v => v.SubjectId == subjectId)
            .OrderBy(v => v.Field)
            .Select(v => new { v.Field, v.KeyGroup, v.CreatedAt })
            .ToListAsync(cancellationToken);

        // A hold runs from the group's latest record, as the erasure counts it.
        var now = time.GetUtcNow();
        var recorded = fields.GroupBy(f => f.KeyGroup, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Max(f => f.CreatedAt), StringComparer.Ordinal);
        return VaultResult<ErasurePlan>.Ok(new ErasurePlan(
            fields.Select(f => new PlannedFieldErasure(f.Field, f.KeyGroup, HeldUntil(f.KeyGroup, recorded[f.KeyGroup]) is { } until && until > now ? until : null)).ToList()));
    }

    /// <summary>
    /// GDPR Art. 17 by crypto-shredding: the data keys of every group without a legal hold are
    /// deleted together with their ciphertexts and the blind index; legal-hold groups are kept until
    /// their retention ends. The subject row stays as a tombstone, so the id answers 410 afterwards.
    /// </summary>
    public async Task<VaultResult<ErasureReceipt>> EraseAsync(string subjectId, string requestedBy, Actor actor, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return VaultResult<ErasureReceipt>.NotFound();
        }

        var result = await writer.WriteAsync(new EraseSubjectWrite(subjectId, requestedBy, catalogue, erasureSteps, keys, time) { Origin = ChangeOrigin.Of(actor) }, cancellationToken);
        if (result.Value is { } receipt)
        {
            Log.SubjectErased(logger, subjectId, receipt.ShreddedKeyGroups.Count, receipt.RetainedKeyGroups.Count);
        }

        return result;
    }

    /// <summary>
    /// When a key group's legal hold ends, counted from <paramref name="recorded"/>, the date of the group's latest
    /// record (an invoice is kept ten years from the invoice, not from the erasure); null when it has none.
    /// </summary>
    private DateTimeOffset? HeldUntil(string keyGroup, DateTimeOffset recorded) => HeldUntil(catalogue, keyGroup, recorded);

    /// <inheritdoc cref="HeldUntil(string, DateTimeOffset)"/>
    internal static DateTimeOffset? HeldUntil(PolicyCatalogue catalogue, string keyGroup, DateTimeOffset recorded) =>
        catalogue.KeyGroups.TryGetValue(keyGroup, out var group) && group.RetainAfterErasure is { } hold ? hold.AddTo(recorded) : null;

    public static string StatusText(SubjectStatus status) => status switch
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

    /// <summary>The blind-index entry for a searchable field's canonical value, or null when the field is not searchable or the value has no lookup form.</summary>
    private NewIndexEntry? IndexEntry(FieldDefinition definition, string canonicalJson)
    {
        if (!definition.Searchable)
        {
            return null;
        }

        var normalized = FieldValues.NormalizeForLookup(definition, JsonSerializer.Deserialize<string>(canonicalJson)!);
        return normalized is null ? null : new NewIndexEntry(definition.Name, blindIndex.Compute(definition.Name, normalized));
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
