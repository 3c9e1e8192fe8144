using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Audit;

/// <summary>Where the audit database is, and how connections to it are opened.</summary>
internal sealed class AuditDatabase(IOptions<AuditOptions> options, IOptions<VaultOptions> vault, TimeProvider time)
{
    public string Path { get; } = System.IO.Path.GetFullPath(
        options.Value.DatabasePath ?? System.IO.Path.Combine(vault.Value.DataDirectory, "audit.db"));

    /// <summary>Creates the file if needed, applies the audit migrations and folds into the recipient ledger any entries it lacks (a trail older than the ledger).</summary>
    public void Initialize()
    {
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        using var connection = OpenWriter();
        Storage.SchemaMigrator.Migrate(connection, time, migrations: Storage.SchemaMigrator.Audit);
        RecipientLedgerFold.Backfill(connection);
    }

    public SqliteConnection OpenWriter() => AuditStore.Open(Path, options.Value.WriteTimeout);

    public SqliteConnection OpenReader()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }
}
