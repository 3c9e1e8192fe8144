using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DataVault.Policies;
using DataVault.Vault.Clients;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DataVault.Testing;

/// <summary>
/// The real host over a throw-away SQLite file and key ring in a fresh directory. Callers are real
/// registered clients with real tokens from the host's own <c>/connect/token</c>.
/// </summary>
internal sealed class DataVaultApplication : WebApplicationFactory<Program>
{
    public const string DefaultClientId = "crm-test";

    /// <summary>The public origin the test host is configured with (<c>Api:PublicOrigin</c>): the in-memory server's own address.</summary>
    public const string Origin = "http://localhost";

    private readonly TempDirectory _directory;
    private readonly bool _ownsDirectory;
    private readonly TimeProvider? _time;
    private readonly IReadOnlyDictionary<string, string?>? _settings;
    private readonly Action<IServiceCollection>? _configureServices;
    private bool _onLoopback;

    /// <param name="time">The clock, when the test controls it.</param>
    /// <param name="settings">Configuration on top of the test host's.</param>
    /// <param name="configureServices">Services replaced for the test.</param>
    /// <param name="directory">The data directory, for a host that starts again over what an earlier one left (the caller disposes it); default a fresh one of its own.</param>
    public DataVaultApplication(
        TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? configureServices = null, TempDirectory? directory = null)
    {
        _directory = directory ?? new TempDirectory();
        _ownsDirectory = directory is null;
        _time = time;
        _settings = settings;
        _configureServices = configureServices;

        // A test that sets an https public origin talks to the service over https, as a client would
        // through the proxy in front of it (the token service requires HTTPS then).
        if (settings?.GetValueOrDefault("Api:PublicOrigin")?.StartsWith("https:", StringComparison.Ordinal) == true)
        {
            ClientOptions.BaseAddress = new Uri("https://localhost");
        }
    }

    /// <summary>Sees every log line of the app and every value the test sends; checked on dispose.</summary>
    public SensitiveValueMonitor Monitor { get; } = new();

    public string AuditDatabasePath => Path.Combine(_directory.Path, "audit.db");

    public string DataDirectory => _directory.Path;

    public string DatabasePath => Path.Combine(_directory.Path, "datavault.db");

    /// <summary>Settings for the administration verbs (<c>AdminCli</c>) on this app's data directory and key ring.</summary>
    public Dictionary<string, string?> CliSettings => TestKeyRing.With(new Dictionary<string, string?> { ["Vault:DataDirectory"] = _directory.Path });

    /// <summary>
    /// Serves the host with Kestrel on 127.0.0.1 and a free port, for a real browser, instead of the
    /// in-memory test server; returns the address. Call it before anything else starts the app. The
    /// clients this factory creates then talk to the same socket over real HTTP.
    /// </summary>
    public Uri StartOnLoopback()
    {
        _onLoopback = true;
        UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        StartServer();
        var address = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        var baseAddress = new Uri(address);
        ClientOptions.BaseAddress = baseAddress;
        return baseAddress;
    }

    /// <summary>Registers a client (default: every scope and purpose) and returns an HTTP client carrying its access token.</summary>
    public async Task<HttpClient> CreateClientAsync(string clientId = DefaultClientId, IEnumerable<string>? scopes = null, IEnumerable<string>? purposes = null)
    {
        var secret = await RegisterClientAsync(clientId, scopes, purposes);
        var client = CreateMonitoredClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await RequestTokenAsync(clientId, secret));
        return client;
    }

    /// <summary>Registers a client through the vault's service and returns its one-time secret.</summary>
    public async Task<string> RegisterClientAsync(string clientId, IEnumerable<string>? scopes = null, IEnumerable<string>? purposes = null)
    {
        await using var scope = Services.CreateAsyncScope();
        var catalogue = scope.ServiceProvider.GetRequiredService<PolicyCatalogue>();
        var result = await scope.ServiceProvider.GetRequiredService<ClientService>().AddAsync(
            clientId, $"Test client {clientId}", scopes ?? Scopes.All, purposes ?? catalogue.Purposes.Keys, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, result.Outcome);
        var secret = result.Value!.Secret!;
        Monitor.Remember(secret);
        return secret;
    }

    /// <summary>An HTTP client whose requests the <see cref="Monitor"/> records.</summary>
    public HttpClient CreateMonitoredClient() => CreateDefaultClient(new RecordingHandler(Monitor));

    /// <summary>The client credentials grant with HTTP Basic authentication; fails the test unless it succeeds.</summary>
    public async Task<string> RequestTokenAsync(string clientId, string secret, string? scope = null)
    {
        using var http = CreateClient();
        using var response = await http.SendAsync(TokenRequest(clientId, secret, scope));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonSerializer.Deserialize<JsonElement>(await response.Content.ReadAsStringAsync());
        var token = body.GetProperty("access_token").GetString()!;
        Monitor.Remember(token);
        return token;
    }

    public static HttpRequestMessage TokenRequest(string clientId, string secret, string? scope = null)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (scope is not null)
        {
            form["scope"] = scope;
        }

        var request = new HttpRequestMessage(HttpMethod.Post, "/connect/token") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = new AuthenticationHeaderValue(
            "Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")));
        return request;
    }

    /// <summary>A raw connection to the application's database file, for checks below the API.</summary>
    public SqliteConnection OpenDatabase()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Every entry of the audit trail so far, oldest first, read from its file.</summary>
    public List<AuditRow> AuditEntries()
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = AuditDatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT sequence, actor_type, actor_id, action, subject_id, purpose_id, fields, withheld, outcome, request_id FROM audit_entries ORDER BY sequence;";
        using var reader = command.ExecuteReader();
        var rows = new List<AuditRow>();
        while (reader.Read())
        {
            rows.Add(new AuditRow(
                reader.GetInt64(0),
                reader.GetString(1),
                reader.GetString(2),
                reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetString(4),
                reader.IsDBNull(5) ? null : reader.GetString(5),
                reader.IsDBNull(6) ? null : reader.GetString(6),
                reader.IsDBNull(7) ? null : reader.GetString(7),
                reader.GetString(8),
                reader.IsDBNull(9) ? null : reader.GetString(9)));
        }

        return rows;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Vault:DataDirectory", _directory.Path);

        // Outside Development the key ring must be encrypted at rest, and the public origin and the
        // controller configured; tests run the service as deployed.
        foreach (var (key, value) in TestKeyRing.Settings.Concat(TestController.Settings))
        {
            builder.UseSetting(key, value);
        }

        builder.UseSetting("Api:PublicOrigin", Origin);
        if (_onLoopback)
        {
            // A browser on the loopback socket names 127.0.0.1 as the host, which the service then also answers.
            builder.UseSetting("AllowedHosts", "127.0.0.1");
        }

        foreach (var (key, value) in _settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Monitor).SetMinimumLevel(LogLevel.Trace));
        builder.ConfigureTestServices(services =>
        {
            if (_time is not null)
            {
                services.AddSingleton(_time);
            }

            _configureServices?.Invoke(services);
        });
    }

    /// <summary>Clients made without options (<see cref="CreateMonitoredClient"/>) go where the others go.</summary>
    protected override void ConfigureClient(HttpClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        base.ConfigureClient(client);
        client.BaseAddress = ClientOptions.BaseAddress;
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Monitor.AssertNothingLeaked(AuditDatabasePath);
        }
        finally
        {
            if (_ownsDirectory)
            {
                _directory.Dispose();
            }
        }
    }
}

/// <summary>One stored audit entry, as tests read it back.</summary>
internal sealed record AuditRow(
    long Sequence, string ActorType, string ActorId, string Action, string? SubjectId, string? PurposeId, string? Fields, string? Withheld, string Outcome, string? RequestId = null);
