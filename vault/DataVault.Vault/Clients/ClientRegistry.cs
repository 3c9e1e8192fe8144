using System.Collections.Frozen;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Clients;

/// <summary>
/// The registered clients as every API request checks them (registered, enabled, which scopes and
/// purposes now), kept in memory instead of queried per request. A disabled client or a removed scope
/// must still be refused from the next request on, whoever made the change: this service, the
/// <c>clients</c> CLI verbs in another process, another instance or plain SQL. Triggers on the clients
/// table bump a change counter in the same transaction as the change (migration 8), and each lookup
/// reads that counter, one row through a prepared statement, and reloads every client when it has
/// moved. A client's secret hash is never held here; the token endpoint checks secrets against the table.
/// </summary>
public sealed class ClientRegistry
{
    private readonly VaultReadConnections reads;

    internal ClientRegistry(VaultReadConnections reads)
    {
        this.reads = reads;
    }

    private const string VersionSql = "SELECT version FROM client_registry_version WHERE id = 1;";

    // One statement, so the counter and the clients come from one snapshot: a change committed during
    // the reload shows as a newer counter at the next lookup, never as clients labelled with an old one.
    private const string ClientsSql = """
        SELECT v.version, c.id, c.display_name, c.scopes, c.allowed_purposes, c.created_at, c.secret_rotated_at, c.disabled_at
        FROM client_registry_version AS v LEFT JOIN clients AS c ON 1 = 1
        WHERE v.id = 1;
        """;

    private volatile Snapshot? _snapshot;

    /// <summary>The client as currently registered (enabled or not), or null when there is none with this id.</summary>
    public ClientInfo? Find(string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return Current().Clients.GetValueOrDefault(clientId);
    }

    /// <summary>Every client as currently registered, enabled or not.</summary>
    public IEnumerable<ClientInfo> All() => Current().Clients.Values;

    /// <summary>As <see cref="Find(string)"/>, for a caller that has just read the counter (<paramref name="version"/>) on <paramref name="connection"/>.</summary>
    internal ClientInfo? Find(VaultReadConnection connection, long version, string clientId)
    {
        ArgumentNullException.ThrowIfNull(clientId);
        return At(connection, version).Clients.GetValueOrDefault(clientId);
    }

    private Snapshot Current()
    {
        using var connection = reads.Rent();
        return At(connection, CurrentVersion(connection));
    }

    private Snapshot At(VaultReadConnection connection, long version)
    {
        var snapshot = _snapshot;
        if (snapshot is null || snapshot.Version != version)
        {
            snapshot = Load(connection);
            _snapshot = snapshot;
        }

        return snapshot;
    }

    private static long CurrentVersion(VaultReadConnection connection)
    {
        var command = connection.Command(VersionSql);
        using var reader = command.ExecuteReader();
        return reader.Read() ? reader.GetInt64(0) : throw new InvalidOperationException("The client registry version row is missing.");
    }

    private static Snapshot Load(VaultReadConnection connection)
    {
        var command = connection.Command(ClientsSql);
        using var reader = command.ExecuteReader();
        long? version = null;
        var clients = new Dictionary<string, ClientInfo>(StringComparer.Ordinal);
        while (reader.Read())
        {
            version = reader.GetInt64(0);
            if (reader.IsDBNull(1))
            {
                continue;
            }

            var client = ClientInfo.FromStored(
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.GetString(4),
                StoredInstant.Parse(reader.GetString(5)),
                StoredInstant.Parse(reader.GetString(6)),
                reader.IsDBNull(7) ? null : StoredInstant.Parse(reader.GetString(7)));
            clients[client.Id] = client;
        }

        return new Snapshot(
            version ?? throw new InvalidOperationException("The client registry version row is missing."),
            clients.ToFrozenDictionary(StringComparer.Ordinal));
    }

    private sealed record Snapshot(long Version, FrozenDictionary<string, ClientInfo> Clients);
}
