namespace DataVault.Vault.Subjects;

/// <summary>
/// Subject ids are UUIDv7 (RFC 9562) in lower-case canonical form: opaque, unguessable in practice,
/// and time-ordered so that inserts append to the primary-key index.
/// </summary>
public static class SubjectId
{
    internal static string New(TimeProvider time) => Guid.CreateVersion7(time.GetUtcNow()).ToString("D");

    /// <summary>True only for the exact canonical form this vault issues; anything else is treated as unknown.</summary>
    public static bool IsWellFormed(string? candidate) =>
        candidate is { Length: 36 }
        && Guid.TryParseExact(candidate, "D", out var guid)
        && guid.Version == 7
        && string.Equals(candidate, guid.ToString("D"), StringComparison.Ordinal);
}
