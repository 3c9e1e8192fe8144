using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Encodings.Web;
using DataVault.Testing;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Api.Tests;

/// <summary>
/// The real host over a throw-away SQLite file and key ring in a fresh directory. Until the token
/// service exists, callers authenticate with <see cref="TestAuthHandler"/>; pass
/// <c>testAuthentication: false</c> to run with the host's own bearer authentication.
/// </summary>
internal sealed class DataVaultApplication(bool testAuthentication = true, TimeProvider? time = null) : WebApplicationFactory<Program>
{
    private readonly TempDirectory _directory = new();

    public string DataDirectory => _directory.Path;

    public string DatabasePath => Path.Combine(_directory.Path, "datavault.db");

    /// <summary>A client authenticated as <paramref name="clientId"/>.</summary>
    public HttpClient CreateClient(string clientId)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue(TestAuthHandler.SchemeName, clientId);
        return client;
    }

    /// <summary>A raw connection to the application's database file, for checks below the API.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Vault:DataDirectory", _directory.Path);
        builder.ConfigureTestServices(services =>
        {
            if (time is not null)
            {
                services.AddSingleton(time);
            }

            if (testAuthentication)
            {
                services.AddAuthentication(TestAuthHandler.SchemeName)
                    .AddScheme<AuthenticationSchemeOptions, TestAuthHandler>(TestAuthHandler.SchemeName, null);
                services.PostConfigure<AuthenticationOptions>(o =>
                {
                    o.DefaultScheme = TestAuthHandler.SchemeName;
                    o.DefaultAuthenticateScheme = TestAuthHandler.SchemeName;
                    o.DefaultChallengeScheme = TestAuthHandler.SchemeName;
                });
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        _directory.Dispose();
    }
}

/// <summary>Test-only authentication: <c>Authorization: Test {clientId}</c>. Never registered by the host itself.</summary>
internal sealed class TestAuthHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, Microsoft.Extensions.Logging.ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (!header.StartsWith(SchemeName + " ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var clientId = header[(SchemeName.Length + 1)..];
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, clientId), new Claim("client_id", clientId)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}
