using BenchmarkDotNet.Attributes;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.Data.Sqlite;

namespace DataVault.Bench;

/// <summary>
/// The check every portal request of a signed-in customer makes (<see cref="SubjectPresence.IsPresent"/>):
/// is the session's subject still there, not erased? One primary-key read on a migrated vault of
/// 100,000 subjects, through a prepared statement on a pooled read connection. Goal: a few µs, small
/// beside the rest of a page (the audit entry alone waits for a disk flush).
/// </summary>
[MemoryDiagnoser]
public class SubjectPresenceBenchmark : IDisposable
{
    private const int Subjects = 100_000;

    private readonly string directory = Path.Combine(Path.GetTempPath(), "datavault-bench-" + Guid.NewGuid().ToString("N"));
    private VaultReadConnections? reads;
    private SubjectPresence? presence;
    private string[] ids = [];
    private int next;

    [GlobalSetup]
    public void Setup()
    {
        Directory.CreateDirectory(directory);
        var connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, "datavault.db"), Pooling = false }.ToString();
        using (var connection = new SqliteConnection(connectionString))
        {
            connection.Open();
            SchemaMigrator.Migrate(connection, TimeProvider.System);
            using var transaction = connection.BeginTransaction();
            using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO subjects (id, status, created_at, updated_at, erased_at) VALUES ($id, $status, '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z', $erased);";
            var id = insert.Parameters.Add("$id", SqliteType.Text);
            var status = insert.Parameters.Add("$status", SqliteType.Text);
            var erased = insert.Parameters.Add("$erased", SqliteType.Text);
            ids = new string[Subjects];
            for (var i = 0; i < Subjects; i++)
            {
                ids[i] = SubjectId.New(TimeProvider.System);
                id.Value = ids[i];

                // Every tenth subject erased, as a tombstone.
                status.Value = i % 10 == 0 ? "erased" : "active";
                erased.Value = i % 10 == 0 ? "2026-01-02T00:00:00.0000000Z" : DBNull.Value;
                insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        Random.Shared.Shuffle(ids);
        reads = new VaultReadConnections(connectionString);
        presence = new SubjectPresence(reads);
    }

    [GlobalCleanup]
    public void Dispose()
    {
        reads?.Dispose();
        reads = null;
        SqliteConnection.ClearAllPools();
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>One check, of a different (random) subject each time.</summary>
    [Benchmark]
    public bool IsPresent() => presence!.IsPresent(ids[next++ % Subjects]);
}
