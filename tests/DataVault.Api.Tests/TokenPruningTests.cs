using System.Net;
using DataVault.Testing;
using DataVault.Vault.Clients;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Api.Tests;

/// <summary>
/// The token service's rows are pruned once they can no longer matter, and never sooner: a revoked token
/// stays in the revoked set until it has expired (an access token is a self-contained JWT, so without its
/// row it would work again), and an agent's standing consent stays while it is valid.
/// </summary>
public sealed class TokenPruningTests
{
    private static readonly DateTimeOffset Start = new(2026, 5, 4, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Prune_ARevokedTokenNotYetExpired_StaysRefused_AndExpiredRowsAreRemovedAndAudited()
    {
        var time = new ManualTimeProvider(Start);
        await using var app = new DataVaultApplication(time);
        var secret = await app.RegisterClientAsync("crm-eu");
        var revoked = await app.RequestTokenAsync("crm-eu", secret);
        var kept = await app.RequestTokenAsync("crm-eu", secret);
        using (var revoke = RevocationTests.Authenticated("/connect/revoke", "crm-eu", secret, new() { ["token"] = revoked }))
        {
            Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(revoke)).StatusCode);
        }

        // Half way through the tokens' hour: the revoked one is what OpenIddict's own pruning would delete.
        time.Set(Start.AddMinutes(30));
        Assert.Equal((0, 0), await PruneAsync(app));

        Assert.Equal(2L, Scalar(app, """SELECT count(*) FROM "OpenIddictTokens";"""));
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, revoked));
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, kept));

        // Expired, but not yet by the margin (default an hour): still kept.
        time.Set(Start.AddHours(1).AddMinutes(30));
        Assert.Equal((0, 0), await PruneAsync(app));
        Assert.Equal(2L, Scalar(app, """SELECT count(*) FROM "OpenIddictTokens";"""));

        time.Set(Start.AddHours(2).AddMinutes(1));
        Assert.Equal((2, 0), await PruneAsync(app));

        Assert.Equal(0L, Scalar(app, """SELECT count(*) FROM "OpenIddictTokens";"""));
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, revoked));
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, kept));
        Assert.Equal(
            [("system", TokenPruning.Actor, "attempted", null), ("system", TokenPruning.Actor, "success", "tokens=2,authorizations=0")],
            AuditEntries(app));
    }

    [Fact]
    public async Task Prune_AnAgentsGrant_KeepsTheStandingConsent_AndRemovesARevokedOneOnceItsTokensAreGone()
    {
        var time = new ManualTimeProvider(Start);
        await using var app = new DataVaultApplication(time);
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (verifier, challenge) = CodeFlow.Pkce();
        var code = CodeFlow.Parameters(await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", challenge)))["code"];
        app.Monitor.Remember(code);
        await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, verifier));

        // Past the refresh token's lifetime (default 8 hours) and the margin: every token of the grant goes,
        // the agent's consent stays (the next request of the CRM is answered without asking again).
        time.Set(Start.AddHours(9).AddMinutes(1));
        var (tokens, authorizations) = await PruneAsync(app);

        Assert.Equal(3, tokens);
        Assert.Equal(0, authorizations);
        Assert.Equal(1L, Scalar(app, """SELECT count(*) FROM "OpenIddictAuthorizations" WHERE "Status" = 'valid';"""));

        // Revoked (e.g. the agent's account disabled) and without tokens: nothing can refer to it any more.
        using (var connection = app.OpenDatabase())
        using (var command = connection.CreateCommand())
        {
            command.CommandText = """UPDATE "OpenIddictAuthorizations" SET "Status" = 'revoked';""";
            command.ExecuteNonQuery();
        }

        Assert.Equal((0, 1), await PruneAsync(app));
        Assert.Equal(0L, Scalar(app, """SELECT count(*) FROM "OpenIddictAuthorizations";"""));
    }

    private static async Task<(int Tokens, int Authorizations)> PruneAsync(DataVaultApplication app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<TokenPruning>().PruneAsync(CancellationToken.None);
    }

    private static object? Scalar(DataVaultApplication app, string sql) => SubjectEndpointsTests.Scalar(app, sql);

    private static List<(string ActorType, string ActorId, string Outcome, string? Fields)> AuditEntries(DataVaultApplication app)
    {
        using var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT actor_type, actor_id, outcome, fields FROM audit_entries WHERE action = 'token.prune' ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var entries = new List<(string, string, string, string?)>();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.IsDBNull(3) ? null : reader.GetString(3)));
        }

        return entries;
    }
}
