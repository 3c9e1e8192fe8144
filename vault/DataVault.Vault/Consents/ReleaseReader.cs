using System.Text.Json;
using DataVault.Policies.Decisions;
using DataVault.Vault.Encryption;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Consents;

/// <summary>
/// The consented read of one subject (<c>GET /api/v1/subjects/{id}?purpose=</c>), under the same rule as
/// <see cref="ReleaseService"/>: a field leaves the vault only when the purpose lists it, the lawful basis
/// holds now, and the subject is neither restricted nor erased; only released fields are decrypted. It
/// runs once per CRM read, so it holds no per-request state: one prepared statement on an open
/// connection reads everything the decision needs, <see cref="ReleasePolicy"/> decides, and the keys of
/// released fields come from the key cache or are unwrapped once per key group.
/// </summary>
internal sealed class ReleaseReader(
    CompiledPurposes purposes,
    VaultReadConnections reads,
    DataKeyCache keyCache,
    KeyEncryptionKey kek,
    TimeProvider time)
{
    /// <summary>
    /// The subject as released for the purpose now: 404 for an unknown id, 410 once erased. Everything is read
    /// by one statement (<see cref="ReleaseSnapshot"/>), one snapshot of the database, so a read racing an
    /// erasure or a restriction sees the subject wholly before or wholly after it and never releases values
    /// of a subject it would have found erased or restricted.
    /// </summary>
    public Task<VaultResult<ReleasedSubject>> ReadAsync(string subjectId, string purposeId, CancellationToken cancellationToken)
    {
        var purpose = purposes.All[purposeId];
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.NotFound());
        }

        cancellationToken.ThrowIfCancellationRequested();
        ReleaseSnapshot snapshot;
        using (var connection = reads.Rent())
        {
            snapshot = ReleaseSnapshot.Read(connection, subjectId, purpose, keyCache);
        }

        if (!snapshot.Found)
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.NotFound());
        }

        if (snapshot.Erased)
        {
            return Task.FromResult(VaultResult<ReleasedSubject>.Gone());
        }

        var now = time.GetUtcNow();
        var policy = snapshot.Restrictions.Count == 0 && snapshot.Objections.Count == 0
            ? SubjectPolicyState.Active
            : ConsentService.PolicyState(snapshot.Restrictions, snapshot.Objections, erased: false, now);
        var stored = new string[snapshot.Fields.Count];
        for (var i = 0; i < stored.Length; i++)
        {
            stored[i] = snapshot.Fields[i].Name;
        }

        var decision = ReleasePolicy.Decide(purpose, policy, snapshot.Consents, stored, now);
        var released = new List<FieldSnapshot>(decision.Released.Count);
        foreach (var name in decision.Released)
        {
            var field = snapshot.Fields.Find(f => f.Name == name)!;
            if (Decrypt(subjectId, field, snapshot.Keys) is { } value)
            {
                released.Add(value);
            }
        }

        return Task.FromResult(VaultResult<ReleasedSubject>.Ok(new ReleasedSubject(subjectId, purpose.Id, purpose.Version, released, decision.Withheld)));
    }

    /// <summary>
    /// The decrypted value of a released field, or null when its key group has no key any more (shredded).
    /// A key unwrapped here goes into the key cache and serves the subject's other fields of its group.
    /// </summary>
    private FieldSnapshot? Decrypt(string subjectId, StoredField field, Dictionary<string, SubjectKey> subjectKeys)
    {
        if (!subjectKeys.TryGetValue(field.KeyGroup, out var stored))
        {
            return null;
        }

        var key = stored.Unwrapped;
        if (key is null)
        {
            key = kek.Unwrap(stored.Wrapped!, subjectId, field.KeyGroup);
            keyCache.Set(subjectId, field.KeyGroup, key);
            subjectKeys[field.KeyGroup] = new SubjectKey(key, null);
        }

        var ciphertext = field.Ciphertext ?? throw new InvalidOperationException($"The ciphertext of '{field.Name}' was not read, though the purpose releases it.");
        var plaintext = FieldCipher.Decrypt(key, subjectId, field.Name, field.Version, ciphertext);
        using var document = JsonDocument.Parse(plaintext);
        return new FieldSnapshot(field.Name, document.RootElement.Clone(), field.Version, StoredInstant.Parse(field.CreatedAt));
    }
}
