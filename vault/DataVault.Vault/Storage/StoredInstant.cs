using System.Globalization;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace DataVault.Vault.Storage;

/// <summary>
/// Instants as the vault's and the audit trail's databases store them: ISO 8601 UTC text with seven
/// fractional digits (<c>2026-01-31T09:30:00.0000000Z</c>). Fixed width, so that text order is time
/// order and SQL can compare and sort them; the audit chain hashes this text, so it never changes.
/// The EF Core models (<see cref="StoredInstantConverter"/>), the writer's statements and the reads
/// that bypass EF Core all go through here.
/// </summary>
internal static class StoredInstant
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";

    public static string Format(DateTimeOffset instant) => instant.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    public static DateTimeOffset Parse(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}

/// <summary>Maps every <see cref="DateTimeOffset"/> of an EF Core model to <see cref="StoredInstant"/> text.</summary>
internal sealed class StoredInstantConverter() : ValueConverter<DateTimeOffset, string>(
    instant => StoredInstant.Format(instant),
    text => StoredInstant.Parse(text));
