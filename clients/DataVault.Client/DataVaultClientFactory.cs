namespace DataVault.Client;

/// <summary>Builds a ready <see cref="DataVaultApiClient"/> from <see cref="DataVaultClientOptions"/> in one call.</summary>
/// <example>
/// <code>
/// using var vault = DataVaultClientFactory.Create(new DataVaultClientOptions
/// {
///     BaseAddress = new Uri("https://vault.example.com/"),
///     ClientId = "crm-eu",
///     ClientSecret = Environment.GetEnvironmentVariable("DATAVAULT_CLIENT_SECRET")!,
///     Scopes = { "subjects.read" },
/// });
/// await foreach (var subject in vault.ListAllSubjectsForPurposeAsync("marketing-email")) { ... }
/// </code>
/// </example>
public static class DataVaultClientFactory
{
    /// <summary>
    /// A client over its own connection pool, with the access token handled for it. Create one per
    /// process and keep it; disposing it closes the connections.
    /// </summary>
    public static DataVaultApiClient Create(DataVaultClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        // Connections are recycled so DNS changes of the service are picked up without IHttpClientFactory.
        return Create(options, new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
    }

    /// <summary>
    /// A client that sends through <paramref name="transport"/> (e.g. a test server's handler, or a
    /// handler with a proxy or client certificate); the client disposes it.
    /// </summary>
    public static DataVaultApiClient Create(DataVaultClientOptions options, HttpMessageHandler transport, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(transport);
        options.Validate();

        // The HttpClient owns the handler chain (disposeHandler), and the returned client owns the HttpClient.
        var http = new HttpClient(new DataVaultTokenHandler(options, transport, timeProvider), disposeHandler: true)
        {
            BaseAddress = options.ServiceRoot,
            Timeout = options.Timeout,
        };

        return new DataVaultApiClient(http, ownsHttpClient: true);
    }
}
