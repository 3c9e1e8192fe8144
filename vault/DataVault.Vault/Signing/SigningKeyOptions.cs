using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Signing;

/// <summary>Rotation schedule of the ES256 keys that sign access tokens and receipts (<c>SigningKeys</c> section).</summary>
public sealed class SigningKeyOptions
{
    public const string SectionName = "SigningKeys";

    /// <summary>How long one key signs before its successor takes over. Default: 30 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan SigningPeriod { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How long a successor is published before it signs, so every cache has it. Default: 2 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "30.00:00:00")]
    public TimeSpan PublishAhead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long a retired key stays published, so tokens and receipts it signed still verify. Default: 2 days.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "3650.00:00:00")]
    public TimeSpan PublishAfterRetirement { get; set; } = TimeSpan.FromDays(2);
}
