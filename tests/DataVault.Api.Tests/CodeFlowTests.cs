using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using DataVault.Testing;
using DataVault.Vault.Clients;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.JsonWebTokens;

namespace DataVault.Api.Tests;

/// <summary>
/// A person using a CRM's screens: an agent signs in to the portal and lets the CRM act for them
/// (authorization code flow with PKCE, RFC 7636); the CRM's token names the agent, can do no more than
/// the CRM is registered for, is recorded with the person in the audit trail, refreshes with rotation,
/// and stops working when the agent's account is disabled or the grant is revoked.
/// </summary>
public sealed class CodeFlowTests
{
    [Fact]
    public async Task CodeFlow_AgentConsents_CrmActsForThemWithinItsOwnScopesAndPurposes()
    {
        await using var app = new DataVaultApplication();
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead, Scopes.SubjectsWrite], ["marketing-email"]);
        using var client = await app.CreateClientAsync("crm-backend");
        var subjectId = (await (await client.PostAsJsonAsync("/api/v1/subjects", new { fields = new { email = "ana@example.com" } })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        using var browser = new PortalBrowser(app);
        Assert.Equal(HttpStatusCode.Redirect, (await CodeFlow.SignInAsync(browser, agent)).StatusCode);
        var (verifier, challenge) = CodeFlow.Pkce();

        var redirect = await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", challenge));

        Assert.StartsWith(CodeFlow.RedirectUri + "?", redirect.AbsoluteUri, StringComparison.Ordinal);
        var answer = CodeFlow.Parameters(redirect);
        Assert.Equal(("crm-state-1", "http://localhost/"), (answer["state"], answer["iss"]));
        app.Monitor.Remember(answer["code"]);
        var tokens = await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, answer["code"], verifier));
        Assert.NotNull(tokens.RefreshToken);
        var token = new JsonWebToken(tokens.AccessToken);
        Assert.Equal((agent.Id, agent.Id, "crm-ui", "at+jwt"), (token.Subject, token.GetClaim("staff").Value, token.GetClaim("client_id").Value, token.Typ));
        Assert.Equal(["offline_access", "subjects.read"], token.GetClaim("scope").Value.Split(' ').Order(StringComparer.Ordinal));

        // What the CRM may do: read for its purpose; not write (not consented), not another purpose.
        using var crm = app.CreateMonitoredClient();
        crm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync($"/api/v1/subjects/{subjectId}?purpose=marketing-email")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await crm.GetAsync($"/api/v1/subjects/{subjectId}?purpose=analytics")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await crm.PostAsJsonAsync("/api/v1/subjects", new { fields = new { } })).StatusCode);

        // The audit trail records the client and the person.
        var entries = AuditEntries(app, "crm-ui");
        Assert.Contains(("token.issue", "success", agent.Id), entries);
        Assert.Contains(("subject.read", "success", agent.Id), entries);
        Assert.Contains(("subject.create", "denied", agent.Id), entries);
        Assert.All(entries, e => Assert.Equal(agent.Id, e.Person));
        using var officer = await app.CreateClientAsync("officer-desk", [Scopes.AuditRead], []);
        var found = (await officer.GetFromJsonAsync<JsonElement>($"/api/v1/audit?actor={agent.Id}")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(found, e => e.GetProperty("action").GetString() == "subject.read" && e.GetProperty("actorId").GetString() == "crm-ui" && e.GetProperty("onBehalfOf").GetString() == agent.Id);
        Assert.True((await (await officer.PostAsJsonAsync("/api/v1/audit/verification", new { })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean());
    }

    [Fact]
    public async Task CodeFlow_SecondTime_NeedsNoConsentAgainAndRefreshTokensRotate()
    {
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        await using var app = new DataVaultApplication(time);
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (_, firstChallenge) = CodeFlow.Pkce();
        await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", firstChallenge));

        // The agent consented before: the CRM gets its code at once.
        var (verifier, challenge) = CodeFlow.Pkce();
        using var again = await browser.Http.GetAsync(CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", challenge, state: "second"));
        Assert.Equal(HttpStatusCode.Redirect, again.StatusCode);
        var code = CodeFlow.Parameters(again.Headers.Location!)["code"];
        app.Monitor.Remember(code);
        var first = await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, verifier));

        time.Advance(TimeSpan.FromMinutes(5));
        var second = await CodeFlow.TokensAsync(app, await CodeFlow.RefreshAsync(app, "crm-ui", secret, first.RefreshToken!));
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, second.AccessToken));

        // Rotation: the refresh token used is spent (past OpenIddict's short reuse leeway).
        time.Advance(TimeSpan.FromMinutes(5));
        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.RefreshAsync(app, "crm-ui", secret, first.RefreshToken!), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task ExchangeCode_ASecondTime_IsRefusedAndRevokesWhatTheFirstExchangeGot()
    {
        await using var app = new DataVaultApplication();
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (verifier, challenge) = CodeFlow.Pkce();
        var code = CodeFlow.Parameters(await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", challenge)))["code"];
        app.Monitor.Remember(code);
        var tokens = await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, verifier));

        // RFC 6749 §4.1.2: a code used twice was probably stolen; what it gave is revoked.
        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, verifier), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, tokens.AccessToken));
        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.RefreshAsync(app, "crm-ui", secret, tokens.RefreshToken!), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task RevokeARefreshToken_TheAccessTokensOfTheGrantFailToo()
    {
        await using var app = new DataVaultApplication();
        var (secret, tokens) = await ConsentedAsync(app);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, tokens.AccessToken));

        using var revoke = RevocationTests.Authenticated("/connect/revoke", "crm-ui", secret, new() { ["token"] = tokens.RefreshToken!, ["token_type_hint"] = "refresh_token" });
        Assert.Equal(HttpStatusCode.OK, (await app.CreateClient().SendAsync(revoke)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, tokens.AccessToken));
        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.RefreshAsync(app, "crm-ui", secret, tokens.RefreshToken!), HttpStatusCode.BadRequest, "invalid_grant");
    }

    [Fact]
    public async Task DisableTheAgentsAccount_TheirTokensFailAtTheNextRequest()
    {
        await using var app = new DataVaultApplication();
        var (secret, tokens) = await ConsentedAsync(app);
        Assert.Equal(HttpStatusCode.OK, await RevocationTests.ReadAsync(app, tokens.AccessToken));

        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.True(await Cli.AdminCli.RunAsync(["officers", "disable", "jo.smith@example.com"], output, error, app.CliSettings) == 0, error.ToString());

        Assert.Equal(HttpStatusCode.Unauthorized, await RevocationTests.ReadAsync(app, tokens.AccessToken));
        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.RefreshAsync(app, "crm-ui", secret, tokens.RefreshToken!), HttpStatusCode.BadRequest, "invalid_grant");
        Assert.False((await IntrospectionTests.IntrospectAsync(app, "crm-ui", secret, tokens.AccessToken)).Active);
    }

    [Fact]
    public async Task Authorize_NotAnAgentOrDenied_SendsAccessDeniedBackToTheClient()
    {
        await using var app = new DataVaultApplication();
        await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        var officerAccount = await CodeFlow.AddStaffAsync(app, "olga@example.com", Vault.Accounts.AccountRoles.Officer, name: null);
        using var officer = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(officer, officerAccount))
        {
        }

        var (_, challenge) = CodeFlow.Pkce();

        using var refused = await officer.Http.GetAsync(CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Equal("access_denied", CodeFlow.Parameters(refused.Headers.Location!)["error"]);

        var agent = await CodeFlow.AddAgentAsync(app);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var denied = await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge), allow: false);
        Assert.Equal(("access_denied", "crm-state-1"), (CodeFlow.Parameters(denied)["error"], CodeFlow.Parameters(denied)["state"]));
    }

    [Fact]
    public async Task Authorize_SignedOut_GoesToTheSignInPageAndBack()
    {
        await using var app = new DataVaultApplication();
        await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        var (_, challenge) = CodeFlow.Pkce();
        var path = CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge);
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("/account/login?ReturnUrl=", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        Assert.Equal(path, Uri.UnescapeDataString(response.Headers.Location.Query["?ReturnUrl=".Length..]));
    }

    /// <summary>A request that fails validation is answered here, never redirected: only a request found valid has a redirect URI the server trusts.</summary>
    [Theory]
    [InlineData("plain", "invalid_request")]
    [InlineData("none", "invalid_request")]
    [InlineData("S256-scope-not-granted", "invalid_scope")]
    public async Task Authorize_WithoutS256PkceOrBeyondTheClientsScopes_IsRefused(string variant, string error)
    {
        await using var app = new DataVaultApplication();
        var agent = await CodeFlow.AddAgentAsync(app);
        await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (verifier, challenge) = CodeFlow.Pkce();
        var path = variant switch
        {
            "plain" => CodeFlow.AuthorizePath("crm-ui", "subjects.read", verifier, method: "plain"),
            "none" => CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge).Replace("&code_challenge=" + challenge, string.Empty, StringComparison.Ordinal),
            _ => CodeFlow.AuthorizePath("crm-ui", "subjects.read subjects.erase", challenge),
        };

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
        Assert.Contains(error, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Authorize_RedirectUriNotRegistered_IsNeverRedirectedTo()
    {
        await using var app = new DataVaultApplication();
        await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        var (_, challenge) = CodeFlow.Pkce();
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync(CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge, redirectUri: "https://evil.example/callback"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Null(response.Headers.Location);
    }

    [Fact]
    public async Task ExchangeCode_WithAWrongVerifier_IsInvalidGrant()
    {
        await using var app = new DataVaultApplication();
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (_, challenge) = CodeFlow.Pkce();
        var code = CodeFlow.Parameters(await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge)))["code"];
        app.Monitor.Remember(code);

        await TokenEndpointTests.AssertOAuthErrorAsync(await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, CodeFlow.Pkce().Verifier), HttpStatusCode.BadRequest, "invalid_grant");
    }

    private static async Task<(string Secret, CodeFlow.Tokens Tokens)> ConsentedAsync(DataVaultApplication app)
    {
        var agent = await CodeFlow.AddAgentAsync(app);
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead]);
        using var browser = new PortalBrowser(app);
        using (await CodeFlow.SignInAsync(browser, agent))
        {
        }

        var (verifier, challenge) = CodeFlow.Pkce();
        var code = CodeFlow.Parameters(await CodeFlow.ConsentAsync(browser, CodeFlow.AuthorizePath("crm-ui", "subjects.read offline_access", challenge)))["code"];
        app.Monitor.Remember(code);
        return (secret, await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, code, verifier)));
    }

    private static List<(string Action, string Outcome, string? Person)> AuditEntries(DataVaultApplication app, string clientId)
    {
        using var connection = new SqliteConnection($"Data Source={app.AuditDatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT action, outcome, on_behalf_of FROM audit_entries WHERE actor_id = $client AND outcome <> 'attempted' ORDER BY sequence;";
        command.Parameters.AddWithValue("$client", clientId);
        using var reader = command.ExecuteReader();
        var entries = new List<(string, string, string?)>();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2)));
        }

        return entries;
    }
}
