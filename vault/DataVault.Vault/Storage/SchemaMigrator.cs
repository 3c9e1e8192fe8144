using System.Globalization;
using System.Reflection;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Storage;

/// <summary>
/// Applies the versioned SQL scripts embedded under <c>Storage/Migrations</c> (<c>NNNN_name.sql</c>),
/// each in its own transaction, recording them in <c>schema_migrations</c>. EF Core's design-time
/// tooling does not restore in this build environment, so migrations are hand-written SQL; the
/// schema test compares the EF model against the migrated database so the two cannot drift.
/// </summary>
internal static class SchemaMigrator
{
    /// <summary>The vault database's migrations shipped with this build, in order.</summary>
    public static IReadOnlyList<SchemaMigration> All { get; } = LoadEmbedded("migrations/");

    /// <summary>The audit database's migrations (<c>Audit/Migrations</c>), in order.</summary>
    public static IReadOnlyList<SchemaMigration> Audit { get; } = LoadEmbedded("audit-migrations/");

    /// <summary>Brings the database up to <paramref name="targetVersion"/> (default: the latest).</summary>
    /// <returns>The versions applied by this call.</returns>
    public static IReadOnlyList<int> Migrate(SqliteConnection connection, TimeProvider time, int? targetVersion = null, IReadOnlyList<SchemaMigration>? migrations = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(time);
        if (connection.State != System.Data.ConnectionState.Open)
        {
            connection.Open();
        }

        // WAL lets readers proceed while the single writer commits; the mode is stored in the file.
        Execute(connection, null, "PRAGMA journal_mode = WAL;");
        Execute(connection, null, """
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER NOT NULL PRIMARY KEY,
                name       TEXT    NOT NULL,
                applied_at TEXT    NOT NULL
            );
            """);

        var applied = new List<int>();
        foreach (var migration in migrations ?? All)
        {
            if (targetVersion is { } target && migration.Version > target)
            {
                break;
            }

            // BEGIN IMMEDIATE: two instances starting together serialize here instead of both applying.
            using var transaction = connection.BeginTransaction(deferred: false);
            if (IsApplied(connection, transaction, migration.Version))
            {
                transaction.Commit();
                continue;
            }

            Execute(connection, transaction, migration.Sql);
            using var record = connection.CreateCommand();
            record.Transaction = transaction;
            record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($v, $n, $t);";
            record.Parameters.AddWithValue("$v", migration.Version);
            record.Parameters.AddWithValue("$n", migration.Name);
            record.Parameters.AddWithValue("$t", time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            transaction.Commit();
            applied.Add(migration.Version);
        }

        return applied;
    }

    /// <summary>The highest applied version, or 0 for an empty database.</summary>
    public static int CurrentVersion(SqliteConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations';";
        if (Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 0)
        {
            return 0;
        }

        command.CommandText = "SELECT COALESCE(MAX(version), 0) FROM schema_migrations;";
        return Convert.ToInt32(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static bool IsApplied(SqliteConnection connection, SqliteTransaction transaction, int version)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = "SELECT COUNT(*) FROM schema_migrations WHERE version = $v;";
        command.Parameters.AddWithValue("$v", version);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) > 0;
    }

    private static void Execute(SqliteConnection connection, SqliteTransaction? transaction, string sql)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static List<SchemaMigration> LoadEmbedded(string prefix)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var migrations = new List<SchemaMigration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal)))
        {
            var fileName = resource[prefix.Length..];
            var separator = fileName.IndexOf('_', StringComparison.Ordinal);
            var version = int.Parse(fileName.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture);
            var name = Path.GetFileNameWithoutExtension(fileName[(separator + 1)..]);
            migrations.Add(new SchemaMigration(version, name, ReadResource(assembly, resource)));
        }

        migrations.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < migrations.Count; i++)
        {
            if (migrations[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Schema migrations must be numbered 1..n without gaps; found {migrations[i].Version} at position {i + 1}.");
            }
        }

        return migrations;
    }

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded migration '{name}' is missing.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>One versioned SQL script.</summary>
internal sealed record SchemaMigration(int Version, string Name, string Sql);
