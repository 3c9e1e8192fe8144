using System.Buffers;
using System.Security.Cryptography;
using System.Text.Json;
using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Release;

/// <summary>
/// The consented read of one subject (<c>GET /api/v1/subjects/{id}?purpose=</c>), under the core rule
/// (ARCHITECTURE.md): a field leaves the vault only when the purpose lists it, the lawful basis holds now, and the
/// subject is neither restricted nor erased; only released fields are decrypted. It runs once per CRM read, so it
/// holds no per-request state: one prepared statement on an open connection reads everything the decision needs
/// (<see cref="ReleaseLoader.ReadOne"/>), the policies decide (<see cref="SubjectEvents"/>), and the keys of
/// released fields come from the key cache or are unwrapped once per key group.
/// </summary>
public sealed class ReleaseReader
{
    private readonly CompiledPurposes purposes;
    private readonly ReleaseLoader loader;
    private readonly DataKeyCache keyCache;
    private readonly KeyEncryptionKey kek;
    private readonly TimeProvider time;

    internal ReleaseReader(CompiledPurposes purposes, ReleaseLoader loader, DataKeyCache keyCache, KeyEncryptionKey kek, TimeProvider time)
    {
        this.purposes = purposes;
        this.loader = loader;
        this.keyCache = keyCache;
        this.kek = kek;
        this.time = time;
    }

    /// <summary>
    /// The subject as released for the purpose now: 404 for an unknown id, 410 once erased. Everything is read by one
    /// statement, one snapshot of the database, so a read racing an erasure or a restriction sees the subject wholly
    /// before or wholly after it and never releases values of a subject it would have found erased or restricted.
    /// </summary>
    public Task<VaultResult<ReleasedSubject>> ReadAsync(string subjectId, string purposeId, CancellationToken cancellationToken)
    {
        var purpose = purposes.All[purposeId];
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.NotFound());
        }

        cancellationToken.ThrowIfCancellationRequested();
        var snapshot = loader.ReadOne(subjectId, purpose);
        if (!snapshot.Found)
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.NotFound());
        }

        if (snapshot.Erased)
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.Gone());
        }

        var decision = snapshot.Events.Decide(purpose, snapshot.FieldNames, time.GetUtcNow());
        return Task.FromResult(VaultResult<ReleasedSubject>.Ok(Release(purpose, snapshot, decision, group => Key(group, snapshot))));
    }

    /// <summary>
    /// The subject as <paramref name="decision"/> releases it: the released fields decrypted, each key group's cipher
    /// set up once; the withheld ones named. A field whose key group has no key any more (a legal hold that ended)
    /// is no longer released.
    /// </summary>
    internal static ReleasedSubject Release(CompiledPurpose purpose, ReleaseSnapshot snapshot, ReleaseDecision decision, Func<string, DataKey?> keyOf)
    {
        var released = new List<FieldSnapshot>(decision.Released.Count);
        AesGcm? cipher = null;
        string? cipherGroup = null;
        try
        {
            foreach (var name in decision.Released)
            {
                var field = snapshot.Listed(name)
                    ?? throw new InvalidOperationException($"The purpose releases '{name}', but its stored version was not read.");
                if (!string.Equals(cipherGroup, field.KeyGroup, StringComparison.Ordinal))
                {
                    cipher?.Dispose();
                    cipher = null;
                    cipherGroup = field.KeyGroup;
                    if (keyOf(field.KeyGroup) is { } key)
                    {
                        cipher = FieldCipher.CreateCipher(key);
                    }
                }

                if (cipher is not null)
                {
                    released.Add(Decrypt(cipher, snapshot.SubjectId, field));
                }
            }
        }
        finally
        {
            cipher?.Dispose();
        }

        return new ReleasedSubject(snapshot.SubjectId, purpose.Id, purpose.Version, released, decision.Withheld);
    }

    /// <summary>
    /// The data key of the group, from the cache or unwrapped from the snapshot (and then cached, unless an erasure
    /// evicted keys since the snapshot was read); null when the subject has no key for the group any more.
    /// </summary>
    private DataKey? Key(string keyGroup, ReleaseSnapshot snapshot)
    {
        if (!snapshot.Keys.TryGetValue(keyGroup, out var stored))
        {
            return null;
        }

        if (stored.Unwrapped is { } cached)
        {
            return cached;
        }

        var key = kek.Unwrap(stored.Wrapped!, snapshot.SubjectId, keyGroup);
        keyCache.Set(snapshot.SubjectId, keyGroup, key, snapshot.EvictionStamp);
        return key;
    }

    /// <summary>The value of one released field. The plaintext is parsed straight from a pooled buffer, which is wiped after.</summary>
    private static FieldSnapshot Decrypt(AesGcm cipher, string subjectId, StoredField field)
    {
        var length = FieldCipher.PlaintextLength(field.Ciphertext);
        var buffer = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var plaintext = buffer.AsSpan(0, length);
            FieldCipher.Decrypt(cipher, subjectId, field.Name, field.Version, field.Ciphertext, plaintext);
            var reader = new Utf8JsonReader(plaintext);
            return new FieldSnapshot(field.Name, JsonElement.ParseValue(ref reader), field.Version, StoredInstant.Parse(field.CreatedAt));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, length));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
