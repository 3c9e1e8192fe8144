namespace DataVault.Vault.Storage;

/// <summary>
/// Ids of the rows the vault appends: consent, objection and restriction events, erasure receipts
/// and invitations. UUIDv7 (RFC 9562) in lower-case canonical form, the same format as subject ids,
/// so they are time-ordered and inserts append to the primary-key index; but they name records, not
/// people, so they are minted here rather than by <see cref="Subjects.SubjectId"/>.
/// </summary>
internal static class RecordId
{
    public static string New(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return Guid.CreateVersion7(time.GetUtcNow()).ToString("D");
    }
}
