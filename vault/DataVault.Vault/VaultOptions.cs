using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault;

/// <summary>Settings of the vault, bound from the <c>Vault</c> configuration section and validated at start.</summary>
public sealed class VaultOptions
{
    public const string SectionName = "Vault";

    /// <summary>Directory holding the database and the key ring, relative to the working directory. Default: <c>data</c>.</summary>
    [Required]
    public string DataDirectory { get; set; } = "data";

    /// <summary>SQLite connection string. Default: <c>Data Source={DataDirectory}/datavault.db</c>.</summary>
    public string? ConnectionString { get; set; }

    /// <summary>Directory of the Data Protection key ring. Default: <c>{DataDirectory}/keys</c>, next to the database.</summary>
    public string? KeyRingDirectory { get; set; }

    /// <summary>
    /// A PKCS#12 file whose certificate encrypts the key ring at rest (its private key reads it back).
    /// Default: none. Outside Development this or <see cref="KeyRingCertificateThumbprint"/> is required.
    /// </summary>
    public string? KeyRingCertificatePath { get; set; }

    /// <summary>Password of <see cref="KeyRingCertificatePath"/>. Default: none.</summary>
    public string? KeyRingCertificatePassword { get; set; }

    /// <summary>
    /// Thumbprint of a certificate in the current user's personal store (<c>CurrentUser\My</c>) that encrypts
    /// the key ring at rest, instead of a file. Default: none.
    /// </summary>
    public string? KeyRingCertificateThumbprint { get; set; }

    /// <summary>How long an unwrapped data key stays in memory. Default: 1 minute; zero disables the cache.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DataKeyCacheDuration { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How many unwrapped data keys may be cached at once. Default: 10,000.</summary>
    [Range(1, 10_000_000)]
    public int DataKeyCacheSize { get; set; } = 10_000;

    /// <summary>
    /// Most changes (creations, rectifications, erasures, consent events) waiting for the vault writer at once;
    /// beyond that a request is refused at once with 503 and Retry-After instead of queueing without bound.
    /// Default: 4,096 (a change holds its ciphertexts, a few kilobytes).
    /// </summary>
    [Range(1, 1_000_000)]
    public int WriteQueueCapacity { get; set; } = 4_096;

    /// <summary>How often the token service's expired tokens and spent authorizations are removed (<c>TokenPruning</c>). Default: 1 hour.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "7.00:00:00")]
    public TimeSpan TokenPruneInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How long past its expiry a token's row is kept (and an authorization without tokens past its creation):
    /// well beyond any clock skew a token is accepted with, so no row goes while its token could still be
    /// presented. A revoked token is kept at least this long past its expiry too. Default: 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:05:00", "30.00:00:00")]
    public TimeSpan TokenPruneMargin { get; set; } = TimeSpan.FromHours(1);
}
