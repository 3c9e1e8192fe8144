using System.Globalization;
using DataVault.Vault.Changes;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Storage;

/// <summary>
/// The writer's connection as a queued change sees it: statements run inside the current batch's
/// transaction, each SQL text prepared once for the life of the connection and bound by position
/// (<c>$1</c>, <c>$2</c>, …). Instants are written as <see cref="StoredInstant"/> text, as the EF model
/// writes them, so that ordering in SQL matches ordering in time.
/// </summary>
internal sealed class VaultWriteContext : IDisposable
{
    private readonly Dictionary<string, SqliteCommand> _commands = new(StringComparer.Ordinal);
    private readonly IReadOnlyList<IChangeObserver> _observers;
    private readonly TimeProvider _time;
    private SqliteTransaction? _transaction;

    public VaultWriteContext(SqliteConnection connection, IEnumerable<IChangeObserver> observers, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(observers);
        ArgumentNullException.ThrowIfNull(time);
        Connection = connection;
        _observers = [.. observers];
        _time = time;
    }

    public SqliteConnection Connection { get; }

    /// <summary>Who caused the change running now: set by the writer from the write before it runs.</summary>
    public ChangeOrigin Origin { get; internal set; } = ChangeOrigin.System("vault");

    /// <summary>
    /// States what the running change did: every <see cref="IChangeObserver"/> records it in this transaction, inside
    /// the change's savepoint, so it goes if the change is refused or fails. Its origin is the write's.
    /// </summary>
    public void Changed(ChangeFact fact)
    {
        ArgumentNullException.ThrowIfNull(fact);
        var at = _time.GetUtcNow();
        ChangesStated = true;
        foreach (var observer in _observers)
        {
            observer.Observe(this, fact, Origin, at);
        }
    }

    /// <summary>Set by a change that erased something: the batch truncates the write-ahead log before it answers.</summary>
    public bool Erased { get; private set; }

    public void MarkErasure() => Erased = true;

    /// <summary>Set by a change that queued ciphertexts for <see cref="Erasure.CiphertextPurge"/>: the writer purges them once the batch is committed.</summary>
    public bool PurgeQueued { get; private set; }

    public void MarkPurgeQueued() => PurgeQueued = true;

    /// <summary>Whether the batch's transaction is still open; SQLite rolls it back by itself after some errors (I/O, full disk).</summary>
    internal bool InTransaction => _transaction is not null && SQLitePCL.raw.sqlite3_get_autocommit(Connection.Handle) == 0;

    /// <summary>Executes a statement and returns the number of rows it changed.</summary>
    public int Execute(string sql, params object?[] values) => Command(sql, values).ExecuteNonQuery();

    /// <summary>The first column of the first row, or null when there is no row.</summary>
    public object? Scalar(string sql, params object?[] values)
    {
        var value = Command(sql, values).ExecuteScalar();
        return value is DBNull ? null : value;
    }

    /// <summary>Runs a query; dispose the reader before the next statement.</summary>
    public SqliteDataReader Query(string sql, params object?[] values) => Command(sql, values).ExecuteReader();

    /// <summary>Starts the batch's transaction (<c>BEGIN IMMEDIATE</c>: the write lock is taken at once).</summary>
    /// <summary>Whether a change was stated in the current batch (even by a change later rolled back to its savepoint).</summary>
    internal bool ChangesStated { get; private set; }

    internal void Begin()
    {
        ChangesStated = false;
        _transaction = Connection.BeginTransaction(deferred: false);
    }

    internal void Commit()
    {
        _transaction!.Commit();
        EndTransaction();
    }

    /// <summary>Rolls back whatever the batch did, if its transaction is still open (SQLite may already have rolled it back after an I/O error).</summary>
    internal void Rollback()
    {
        try
        {
            if (_transaction?.Connection is not null)
            {
                _transaction.Rollback();
            }
        }
        finally
        {
            EndTransaction();
        }
    }

    internal void Savepoint() => Execute("SAVEPOINT vault_write;");

    internal void ReleaseSavepoint() => Execute("RELEASE vault_write;");

    internal void RollbackToSavepoint()
    {
        Execute("ROLLBACK TO vault_write;");
        Execute("RELEASE vault_write;");
    }

    public void Dispose()
    {
        foreach (var command in _commands.Values)
        {
            command.Dispose();
        }

        _commands.Clear();
        _transaction?.Dispose();
    }

    private void EndTransaction()
    {
        _transaction?.Dispose();
        _transaction = null;
        Erased = false;
        PurgeQueued = false;
    }

    private SqliteCommand Command(string sql, object?[] values)
    {
        if (!_commands.TryGetValue(sql, out var command))
        {
            command = Connection.CreateCommand();
            command.CommandText = sql;
            for (var i = 1; i <= values.Length; i++)
            {
                command.Parameters.Add(new SqliteParameter { ParameterName = "$" + i.ToString(CultureInfo.InvariantCulture) });
            }

            _commands[sql] = command;
        }

        if (command.Parameters.Count != values.Length)
        {
            throw new ArgumentException($"The statement takes {command.Parameters.Count} values, not {values.Length}.", nameof(values));
        }

        command.Transaction = _transaction;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters[i].Value = values[i] switch
            {
                null => DBNull.Value,
                DateTimeOffset instant => StoredInstant.Format(instant),
                var value => value,
            };
        }

        return command;
    }
}
