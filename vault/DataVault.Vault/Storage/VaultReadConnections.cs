using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace DataVault.Vault.Storage;

/// <summary>
/// Open, query-only connections to the vault database for the reads every request makes (the client
/// registry's change counter, the consented read), each keeping its prepared statements. Taking a
/// connection from the provider's pool, preparing the SQL and going through EF Core cost more per
/// request than the reads themselves. A lease is used for one read and returned at once; between
/// leases a connection holds no transaction, so it never holds back a checkpoint (the write-ahead log
/// is truncated after each erasure).
/// </summary>
internal sealed class VaultReadConnections : IDisposable
{
    private readonly string _connectionString;
    private readonly ConcurrentBag<VaultReadConnection> _idle = [];

    // Only as many connections stay open as requests read at the same time; reads do not wait for I/O
    // other than the disk, so that is about the number of cores.
    private readonly int _maxIdle = Math.Max(4, Environment.ProcessorCount * 2);
    private int _idleCount;
    private volatile bool _disposed;

    public VaultReadConnections(string connectionString)
    {
        ArgumentNullException.ThrowIfNull(connectionString);

        // These connections are pooled here, with their prepared statements.
        _connectionString = new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString();
    }

    /// <summary>An open connection for one read; dispose it to give it back.</summary>
    public VaultReadConnection Rent()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_idle.TryTake(out var connection))
        {
            Interlocked.Decrement(ref _idleCount);
            return connection;
        }

        return new VaultReadConnection(this, Open());
    }

    public void Dispose()
    {
        _disposed = true;
        while (_idle.TryTake(out var connection))
        {
            connection.Close();
        }
    }

    internal void Return(VaultReadConnection connection)
    {
        if (_disposed || !connection.IsUsable)
        {
            connection.Close();
            return;
        }

        if (Interlocked.Increment(ref _idleCount) > _maxIdle)
        {
            Interlocked.Decrement(ref _idleCount);
            connection.Close();
            return;
        }

        _idle.Add(connection);

        // Disposed while it was being returned: nobody else will close it.
        if (_disposed)
        {
            Dispose();
        }
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        var opened = false;
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();

            // A read path never writes, whatever SQL it is given.
            pragma.CommandText = "PRAGMA query_only = ON;";
            pragma.ExecuteNonQuery();
            opened = true;
            return connection;
        }
        finally
        {
            if (!opened)
            {
                connection.Dispose();
            }
        }
    }
}

/// <summary>A leased connection of <see cref="VaultReadConnections"/> and its prepared statements.</summary>
internal sealed class VaultReadConnection : IDisposable
{
    private readonly VaultReadConnections _owner;
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteCommand> _prepared = new(StringComparer.Ordinal);

    internal VaultReadConnection(VaultReadConnections owner, SqliteConnection connection)
    {
        _owner = owner;
        _connection = connection;
    }

    internal bool IsUsable => _connection.State == System.Data.ConnectionState.Open;

    /// <summary>
    /// The statement for <paramref name="sql"/> on this connection, prepared on first use, with one
    /// parameter per name in <paramref name="parameterNames"/> (set their values by position). Pass
    /// constant SQL only: every distinct text is kept prepared for the life of the connection.
    /// </summary>
    public SqliteCommand Command(string sql, params ReadOnlySpan<string> parameterNames)
    {
        if (_prepared.TryGetValue(sql, out var command))
        {
            return command;
        }

        command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var name in parameterNames)
        {
            command.Parameters.Add(new SqliteParameter { ParameterName = name, Value = DBNull.Value });
        }

        command.Prepare();
        _prepared[sql] = command;
        return command;
    }

    /// <summary>Gives the connection back to the pool.</summary>
    public void Dispose() => _owner.Return(this);

    internal void Close()
    {
        foreach (var command in _prepared.Values)
        {
            command.Dispose();
        }

        _prepared.Clear();
        _connection.Dispose();
    }
}
