using System.Globalization;

namespace DataVault.Vault.Storage;

/// <summary>
/// Instants as the vault database stores them: ISO 8601 UTC text with seven fractional digits
/// (<c>2026-01-31T09:30:00.0000000Z</c>), as <see cref="VaultDbContext"/>'s converter writes them, so
/// that text order is time order. For the reads that bypass EF Core.
/// </summary>
internal static class StoredInstant
{
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
