using System.Collections.Frozen;
using System.Globalization;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Clients;

/// <summary>
/// What every API request checks about its access token beyond the signature: that its client is still
/// registered and enabled (with its scopes and purposes now), and that neither the token nor the grant it
/// came from has been revoked, whoever revoked it (the revocation endpoint, a replayed code, a new
/// secret or key, a disabled client or staff account, in this process, another one or by SQL). Looking
/// the token up on every request would cost a query per request; instead each request reads the two
/// change counters the triggers keep (clients, revocations) in one prepared statement, and the registry
/// and the set of revoked ids are reloaded only when a counter has moved.
/// </summary>
public sealed class AccessTokenState
{
    private readonly VaultReadConnections reads;
    private readonly ClientRegistry clients;
    private readonly TimeProvider time;

    internal AccessTokenState(VaultReadConnections reads, ClientRegistry clients, TimeProvider time)
    {
        this.reads = reads;
        this.clients = clients;
        this.time = time;
    }

    private const string VersionsSql = """
        SELECT (SELECT version FROM client_registry_version WHERE id = 1), (SELECT version FROM token_revocation_version WHERE id = 1);
        """;

    // Revoked tokens matter until they expire; EF Core stores OpenIddict's dates in this text form.
    private const string RevokedTokensSql = """
        SELECT "Id" FROM "OpenIddictTokens" WHERE "Status" = 'revoked' AND ("ExpirationDate" IS NULL OR "ExpirationDate" > $now);
        """;

    private const string RevokedAuthorizationsSql = """
        SELECT "Id" FROM "OpenIddictAuthorizations" WHERE "Status" = 'revoked';
        """;

    private volatile Revoked? _revoked;

    /// <summary>The client behind a token (null when unknown), and whether the token or its authorization is revoked.</summary>
    public (ClientInfo? Client, bool Revoked) Check(string clientId, string tokenId, string? authorizationId)
    {
        ArgumentNullException.ThrowIfNull(tokenId);
        using var connection = reads.Rent();
        long clientVersion, revocationVersion;
        var command = connection.Command(VersionsSql);
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read() || reader.IsDBNull(0) || reader.IsDBNull(1))
            {
                throw new InvalidOperationException("The change counters of clients and token revocations are missing.");
            }

            (clientVersion, revocationVersion) = (reader.GetInt64(0), reader.GetInt64(1));
        }

        var revoked = _revoked;
        if (revoked is null || revoked.Version != revocationVersion)
        {
            revoked = Load(connection, revocationVersion);
            _revoked = revoked;
        }

        var client = clients.Find(connection, clientVersion, clientId);
        return (client, revoked.Tokens.Contains(tokenId) || (authorizationId is not null && revoked.Authorizations.Contains(authorizationId)));
    }

    private Revoked Load(VaultReadConnection connection, long version)
    {
        var now = time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        var tokens = connection.Command(RevokedTokensSql, "$now");
        tokens.Parameters[0].Value = now;
        return new Revoked(version, ReadIds(tokens), ReadIds(connection.Command(RevokedAuthorizationsSql)));
    }

    private static FrozenSet<string> ReadIds(Microsoft.Data.Sqlite.SqliteCommand command)
    {
        var ids = new List<string>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            ids.Add(reader.GetString(0));
        }

        return ids.ToFrozenSet(StringComparer.Ordinal);
    }

    private sealed record Revoked(long Version, FrozenSet<string> Tokens, FrozenSet<string> Authorizations);
}
