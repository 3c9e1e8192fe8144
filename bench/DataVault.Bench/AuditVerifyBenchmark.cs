using BenchmarkDotNet.Attributes;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;

namespace DataVault.Bench;

/// <summary>
/// Offline verification (<see cref="AuditVerifier.Verify"/>, as <c>audit verify</c> runs it) of a trail
/// of 200,000 entries written by <see cref="AuditStore.Append"/>: mostly consented reads, then
/// creates, consent records, token issues and erasures, as the load suite writes them (no
/// checkpoints: their signatures are the suite's concern). Goal: 1,000,000 entries/s, so under 200 ms.
/// <see cref="Managed"/> measures the managed path that another SQLite bundle or a machine without
/// OpenSSL 3 falls back to; it has no goal of its own.
/// </summary>
[MemoryDiagnoser]
public class AuditVerifyBenchmark
{
    private const int Entries = 200_000;

    private readonly Dictionary<string, string> trustedKeys = [];
    private string directory = "";
    private string path = "";

    /// <summary>Reads and hashes on <see cref="AuditScanPath.Managed"/> instead of the native path.</summary>
    [Params(false, true)]
    public bool Managed { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        directory = Directory.CreateTempSubdirectory("datavault-bench-audit-").FullName;
        path = Path.Combine(directory, "audit.db");
        var random = new Random(8);
        using (var writer = AuditStore.Open(path, TimeSpan.FromSeconds(5)))
        {
            SchemaMigrator.Migrate(writer, TimeProvider.System, migrations: SchemaMigrator.Audit);
            var at = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);
            for (var written = 0; written < Entries; written += 1000)
            {
                AuditStore.Append(writer, [.. Enumerable.Range(0, 1000).Select(_ => Record(random))], at.AddMilliseconds(written));
            }

            using var checkpoint = writer.CreateCommand();
            checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE);";
            checkpoint.ExecuteNonQuery();
        }

        if (Verify() != Entries)
        {
            throw new InvalidOperationException("The benchmark trail does not verify.");
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }

    /// <summary>Every entry read, hashed and linked; the entries of a valid trail, or -1.</summary>
    [Benchmark]
    public long Verify()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        var result = AuditVerifier.Verify(connection, trustedKeys, path: Managed ? AuditScanPath.Managed : AuditScanPath.Native);
        return result.IsValid ? result.Entries : -1;
    }

    private static AuditRecord Record(Random random)
    {
        var subject = Guid.CreateVersion7().ToString();
        var trace = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray());
        return random.Next(100) switch
        {
            < 60 => new AuditRecord(AuditActors.Client, "bench-client", AuditActions.SubjectRead, AuditOutcomes.Success, subject, "marketing-email", "email,given_name,interests,preferred_language",
                "birth_date:not-in-purpose,billing_address:not-in-purpose,billing_name:not-in-purpose,family_name:not-in-purpose,phone:not-in-purpose,postal_address:not-in-purpose", trace),
            < 70 => new AuditRecord(AuditActors.Client, "bench-client", AuditActions.SubjectCreate, random.Next(2) == 0 ? AuditOutcomes.Attempted : AuditOutcomes.Success, random.Next(2) == 0 ? null : subject, null,
                "billing_address,billing_name,birth_date,email,family_name,given_name,interests,phone,postal_address,preferred_language", null, trace),
            < 85 => new AuditRecord(AuditActors.Client, "bench-client", AuditActions.ConsentRecord, random.Next(2) == 0 ? AuditOutcomes.Attempted : AuditOutcomes.Success, subject, "personalisation", TraceId: trace),
            < 95 => new AuditRecord(AuditActors.Client, "bench-client", AuditActions.TokenIssue, AuditOutcomes.Success, TraceId: trace),
            _ => new AuditRecord(AuditActors.Client, "bench-client", AuditActions.SubjectErase, AuditOutcomes.Success, subject, TraceId: trace),
        };
    }
}
