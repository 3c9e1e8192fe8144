using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Audit;

/// <summary>The audit trail (<c>Audit</c> section), validated at start.</summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>The audit database file. Default: <c>{Vault:DataDirectory}/audit.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>A signed checkpoint is written after this many entries. Default: 1000.</summary>
    [Range(1, 10_000_000)]
    public int CheckpointEveryEntries { get; set; } = 1000;

    /// <summary>...or when this much time passed since the last one and entries were added. Default: 60 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan CheckpointInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most entries committed in one transaction (group commit). Default: 512.</summary>
    [Range(1, 100_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// How long a request waits for its entry to be durable, including a locked database, before it
    /// fails with 503 and releases nothing. Default: 5 seconds.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan WriteTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most entries waiting for the writer at once; when that many wait, further requests are refused at
    /// once with 503 and Retry-After instead of queueing without bound. Default: 10,000 (about 3 MB).
    /// </summary>
    [Range(1, 1_000_000)]
    public int QueueCapacity { get; set; } = 10_000;

    /// <summary>
    /// How stale the "last received" instant of the recipient ledger may be: a release to a client that received the
    /// same fields of the same subject for the same purpose less than this long ago (as this process wrote it) does
    /// not touch the ledger, so repeated reads cost no write. Default: 1 hour.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan LedgerLastSeenGranularity { get; set; } = TimeSpan.FromHours(1);
}
