using System.Globalization;
using DataVault.Vault.Audit;
using DataVault.Vault.Storage;
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
internal sealed class TokenPruning(OAuthDbContext db, VaultWriter writer, IAuditTrail trail, IOptions<VaultOptions> options, TimeProvider time, ILogger<TokenPruning> logger)
{
    /// <summary>The actor id of the sweep's audit entries (a system action).</summary>
    public const string Actor = "token-pruning";

    /// <returns>How many tokens and authorizations were removed.</returns>
    public async Task<(int Tokens, int Authorizations)> PruneAsync(CancellationToken cancellationToken)
    {
        // OpenIddict's dates are stored in EF Core's SQLite text form, which sorts as the instants do.
        // The margin keeps a row well past any clock skew a token is still accepted with.
        var before = (time.GetUtcNow() - options.Value.TokenPruneMargin).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);

        // A transaction of its own between the writer's batches, instead of contending for the write lock.
        using var write = await writer.EnterAsync(cancellationToken);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var tokens = await db.Database.ExecuteSqlAsync(
            $"""DELETE FROM "OpenIddictTokens" WHERE "ExpirationDate" IS NOT NULL AND "ExpirationDate" < {before};""",
            cancellationToken);

        // The creation date keeps an authorization whose first token is being written right now.
        var authorizations = await db.Database.ExecuteSqlAsync(
            $"""
            DELETE FROM "OpenIddictAuthorizations"
            WHERE "CreationDate" IS NOT NULL AND "CreationDate" < {before}
              AND NOT ("Status" IS 'valid' AND "Type" IS 'permanent')
              AND NOT EXISTS (SELECT 1 FROM "OpenIddictTokens" t WHERE t."AuthorizationId" = "OpenIddictAuthorizations"."Id");
            """,
            cancellationToken);
        if (tokens == 0 && authorizations == 0)
        {
            return (0, 0);
        }

        // Recorded before the removal is committed; if the trail cannot take it, nothing is removed.
        await trail.WriteAsync(
            new AuditRecord(
                AuditActors.System,
                Actor,
                AuditActions.TokenPrune,
                AuditOutcomes.Success,
                Fields: string.Create(CultureInfo.InvariantCulture, $"tokens={tokens},authorizations={authorizations}")),
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.TokensPruned(logger, tokens, authorizations);
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
