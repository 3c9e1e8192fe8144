using System.Globalization;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Clients;

/// <summary>
/// Removes the token service's rows that can no longer matter, so OpenIddict's tables do not grow without
/// limit: tokens expired more than <see cref="VaultOptions.TokenPruneMargin"/> ago, then authorizations
/// created that long ago that no remaining token belongs to, unless they are an agent's standing consent
/// (valid and permanent). Not OpenIddict's own <c>PruneAsync</c>: it also deletes revoked tokens and
/// tokens of revoked authorizations that have not expired, and revoked authorizations with their tokens,
/// whose rows are the revoked set <see cref="AccessTokenState"/> checks every access token against
/// (RFC 7009): an access token is a self-contained JWT, so without its row a revoked one would work again
/// until it expires. Here a revoked token stays until it has expired, and with it its authorization.
/// </summary>
internal sealed class TokenPruning(OAuthDbContext db, VaultWriter writer, AuditRecorder recorder, IOptions<VaultOptions> options, TimeProvider time, ILogger<TokenPruning> logger)
{
    /// <summary>The actor id of the sweep's audit entries (a system action).</summary>
    public const string Actor = "token-pruning";

    /// <returns>How many tokens and authorizations were removed.</returns>
    public async Task<(int Tokens, int Authorizations)> PruneAsync(CancellationToken cancellationToken)
    {
        // OpenIddict's dates are stored in EF Core's SQLite text form, which sorts as the instants do.
        // The margin keeps a row well past any clock skew a token is still accepted with.
        var before = (time.GetUtcNow() - options.Value.TokenPruneMargin).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
        if (!await AnythingToPruneAsync(before, cancellationToken))
        {
            return (0, 0);
        }

        // Recorded as attempted before anything is removed; if the trail cannot take it, nothing is.
        var entry = new AuditEvent(Audit.Actor.System(Actor), AuditActions.TokenPrune);
        var pruned = await recorder.RecordChangeAsync(
            entry,
            () => writer.WriteAsync(new PruneTokensWrite(before), cancellationToken),
            result => (entry with { Fields = string.Create(CultureInfo.InvariantCulture, $"tokens={result.Tokens},authorizations={result.Authorizations}") }, AuditOutcomes.Success),
            cancellationToken);
        Log.TokensPruned(logger, pruned.Tokens, pruned.Authorizations);
        return pruned;
    }

    private async Task<bool> AnythingToPruneAsync(string before, CancellationToken cancellationToken) =>
        await db.Database.SqlQueryRaw<long>(
            $"""
            SELECT EXISTS (SELECT 1 FROM "OpenIddictTokens" WHERE {PruneTokensWrite.ExpiredTokens})
                OR EXISTS (SELECT 1 FROM "OpenIddictAuthorizations" WHERE {PruneTokensWrite.SpentAuthorizations}) AS "Value"
            """,
            new SqliteParameter("$1", before))
            .SingleAsync(cancellationToken) != 0;
}

/// <summary>The removal itself, in the vault writer's transaction like every change to the vault's file.</summary>
internal sealed class PruneTokensWrite(string before) : VaultWrite<(int Tokens, int Authorizations)>
{
    /// <summary>Tokens expired before <c>$1</c> (EF Core's SQLite text form of OpenIddict's dates).</summary>
    public const string ExpiredTokens = """
        "ExpirationDate" IS NOT NULL AND "ExpirationDate" < $1
        """;

    /// <summary>
    /// Authorizations created before <c>$1</c> that no token belongs to any more, unless they are an agent's standing
    /// consent; the creation date keeps an authorization whose first token is being written right now.
    /// </summary>
    public const string SpentAuthorizations = """
        "CreationDate" IS NOT NULL AND "CreationDate" < $1
          AND NOT ("Status" IS 'valid' AND "Type" IS 'permanent')
          AND NOT EXISTS (SELECT 1 FROM "OpenIddictTokens" t WHERE t."AuthorizationId" = "OpenIddictAuthorizations"."Id")
        """;

    protected override (int Tokens, int Authorizations) Execute(VaultWriteContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var tokens = context.Execute($"""DELETE FROM "OpenIddictTokens" WHERE {ExpiredTokens};""", before);
        var authorizations = context.Execute($"""DELETE FROM "OpenIddictAuthorizations" WHERE {SpentAuthorizations};""", before);
        return (tokens, authorizations);
    }
}

/// <summary>Runs <see cref="TokenPruning"/> every <see cref="VaultOptions.TokenPruneInterval"/>.</summary>
internal sealed class TokenPruningSweeper(IServiceScopeFactory scopes, IOptions<VaultOptions> options, TimeProvider time, ILogger<TokenPruningSweeper> logger)
    : PeriodicSweeper(scopes, time)
{
    protected override TimeSpan Interval => options.Value.TokenPruneInterval;

    protected override Task SweepAsync(IServiceProvider services, CancellationToken cancellationToken) =>
        services.GetRequiredService<TokenPruning>().PruneAsync(cancellationToken);

    protected override void SweepFailed(Exception exception) => Log.TokenPruneFailed(logger, exception);
}
