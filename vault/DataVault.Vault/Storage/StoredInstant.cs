using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DataVault.Vault.Storage;

/// <summary>
/// Instants as the vault database stores them: ISO 8601 UTC text with seven fractional digits
/// (<c>2026-01-31T09:30:00.0000000Z</c>), as <see cref="StoredInstantConverter"/> writes them, so
/// that text order is time order. For the reads that bypass EF Core.
/// </summary>
internal static class StoredInstant
{
    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}

/// <summary>The one text form of instants in every EF Core context on the vault's file (see <see cref="StoredInstant"/>).</summary>
internal sealed class StoredInstantConverter() : ValueConverter<DateTimeOffset, string>(
    v => StoredInstant.Format(v),
    v => StoredInstant.Parse(v));
