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

    // Idle connections in fixed slots taken and given back with a compare-and-swap: no lock and no
    // allocation per read. Only as many stay open as reads run at once (about the number of cores,
    // since a read waits for nothing but the disk); more are closed when given back.
    private readonly VaultReadConnection?[] _idle = new VaultReadConnection?[Math.Max(4, Environment.ProcessorCount * 2)];
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
        for (var i = 0; i < _idle.Length; i++)
        {
            var connection = _idle[i];
            if (connection is not null && Interlocked.CompareExchange(ref _idle[i], null, connection) == connection)
            {
                return connection;
            }
        }

        return new VaultReadConnection(this, Open());
    }

    public void Dispose()
    {
        _disposed = true;
        for (var i = 0; i < _idle.Length; i++)
        {
            Interlocked.Exchange(ref _idle[i], null)?.Close();
        }
    }

    internal void Return(VaultReadConnection connection)
    {
        if (!_disposed && connection.IsUsable)
        {
            for (var i = 0; i < _idle.Length; i++)
            {
                if (Interlocked.CompareExchange(ref _idle[i], connection, null) is null)
                {
                    // Disposed while it was being returned: nobody else will close it.
                    if (_disposed)
                    {
                        Dispose();
                    }

                    return;
                }
            }
        }

        connection.Close();
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
