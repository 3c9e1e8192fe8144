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
