namespace DataVault.Vault.Storage;

/// <summary>Row of <c>subjects</c>: an opaque id and a status, never personal data; the tombstone after erasure.</summary>
internal sealed class SubjectRecord
{
    public required string Id { get; init; }

    public required string Status { get; set; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset UpdatedAt { get; set; }

    public DateTimeOffset? ErasedAt { get; set; }
}

/// <summary>Row of <c>data_keys</c>: a subject's data key for one key group, wrapped by the key-encryption key.</summary>
internal sealed class DataKeyRecord
{
    public required string SubjectId { get; init; }

    public required string KeyGroup { get; init; }

    public required byte[] WrappedKey { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Set on erasure for legal-hold groups: the key is shredded once this instant passes.</summary>
    public DateTimeOffset? RetainUntil { get; set; }
}

/// <summary>Row of <c>field_values</c>: one version of one field, AES-256-GCM ciphertext.</summary>
internal sealed class FieldValueRecord
{
    public required string SubjectId { get; init; }

    public required string Field { get; init; }

    public required int Version { get; init; }

    public required string KeyGroup { get; init; }

    public required byte[] Ciphertext { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>
/// Row of <c>ciphertext_purges</c>: a shredded key group whose ciphertexts the vault writer still has
/// to delete. Its data key is gone, so they cannot be decrypted meanwhile.
/// </summary>
internal sealed class CiphertextPurgeRecord
{
    public required string SubjectId { get; init; }

    public required string KeyGroup { get; init; }

    public required DateTimeOffset QueuedAt { get; init; }
}

/// <summary>Row of <c>blind_index</c>: HMAC of the normalized latest value of a searchable field.</summary>
internal sealed class BlindIndexRecord
{
    public required string SubjectId { get; init; }

    public required string Field { get; init; }

    public required byte[] Digest { get; set; }
}

/// <summary>Row of <c>vault_secrets</c>: a vault-wide secret, wrapped by the key-encryption key.</summary>
internal sealed class VaultSecretRecord
{
    public required string Name { get; init; }

    public required byte[] WrappedValue { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }
}

/// <summary>Row of <c>erasure_receipts</c>: proof that and how a subject was erased (ids and group names only).</summary>
internal sealed class ErasureReceiptRecord
{
    public required string Id { get; init; }

    public required string SubjectId { get; init; }

    public required DateTimeOffset ErasedAt { get; init; }

    public required string RequestedBy { get; init; }

    /// <summary>Comma-separated key-group names whose keys were destroyed.</summary>
    public required string ShreddedKeyGroups { get; init; }

    /// <summary>Comma-separated <c>group=retainUntil</c> pairs kept under legal hold.</summary>
    public required string RetainedKeyGroups { get; init; }
}

/// <summary>Row of <c>signing_keys</c>: an ES256 key pair; the private half protected by Data Protection.</summary>
internal sealed class SigningKeyRecord
{
    public required string Id { get; init; }

    public required string Algorithm { get; init; }

    public required byte[] ProtectedPrivateKey { get; init; }

    public required string PublicJwk { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Signing starts here; the key is published from creation, so caches see it first.</summary>
    public required DateTimeOffset NotBefore { get; init; }

    /// <summary>Signing stops here.</summary>
    public required DateTimeOffset RetireAt { get; init; }

    /// <summary>The key leaves the published set here, once no token it signed can still be valid.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }
}

/// <summary>Row of <c>consent_events</c>: one append-only consent event (ISO/IEC TS 27560 shape).</summary>
internal sealed class ConsentEventRecord
{
    public required string Id { get; init; }

    public required string SubjectId { get; init; }

    public required string PurposeId { get; init; }

    public required string PurposeVersion { get; init; }

    /// <summary><c>given</c>, <c>refused</c>, <c>withdrawn</c> or <c>expired</c>.</summary>
    public required string State { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }

    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary><c>api</c>, <c>portal</c> or <c>import</c>.</summary>
    public required string CollectionMethod { get; init; }

    /// <summary><c>client</c> or <c>subject</c>.</summary>
    public required string ActorType { get; init; }

    public required string ActorId { get; init; }

    public required string NoticeLanguage { get; init; }

    /// <summary>Caller-supplied proof such as a form id or the hash of the notice shown.</summary>
    public string? Evidence { get; init; }
}

/// <summary>Row of <c>objection_events</c>: an objection (GDPR Art. 21) or its lifting; no purpose = all processing.</summary>
internal sealed class ObjectionEventRecord
{
    public required string Id { get; init; }

    public required string SubjectId { get; init; }

    public string? PurposeId { get; init; }

    /// <summary><c>objected</c> or <c>lifted</c>.</summary>
    public required string Action { get; init; }

    /// <summary><c>api</c>, <c>portal</c>, <c>gpc</c>, <c>import</c> or <c>desk</c> (an officer).</summary>
    public required string Source { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary><c>client</c>, <c>subject</c> or <c>officer</c>.</summary>
    public required string ActorType { get; init; }

    public required string ActorId { get; init; }

    /// <summary>Why it was recorded or lifted, as the actor wrote it; always set for a lift by a client or officer.</summary>
    public string? Reason { get; init; }
}

/// <summary>Row of <c>restriction_events</c>: a restriction of processing (GDPR Art. 18) or its lifting.</summary>
internal sealed class RestrictionEventRecord
{
    public required string Id { get; init; }

    public required string SubjectId { get; init; }

    /// <summary><c>restricted</c> or <c>lifted</c>.</summary>
    public required string Action { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset OccurredAt { get; init; }

    /// <summary><c>client</c>, <c>subject</c> or <c>officer</c>.</summary>
    public required string ActorType { get; init; }

    public required string ActorId { get; init; }
}

/// <summary>Row of <c>purpose_versions</c>: when a version of a purpose definition came into force.</summary>
internal sealed class PurposeVersionRecord
{
    public required string PurposeId { get; init; }

    public required string Version { get; init; }

    public required DateTimeOffset EffectiveFrom { get; init; }
}
