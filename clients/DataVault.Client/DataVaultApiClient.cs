namespace DataVault.Client;

/// <summary>
/// The hand-written half of the generated <see cref="DataVaultApiClient"/>: ownership of the
/// HttpClient when <see cref="DataVaultClientFactory"/> created it. A client built on an injected
/// HttpClient (<c>new DataVaultApiClient(httpClient)</c>) never disposes it.
/// </summary>
public partial class DataVaultApiClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;

    internal DataVaultApiClient(HttpClient httpClient, bool ownsHttpClient)
        : this(httpClient)
    {
        _ownedHttpClient = ownsHttpClient ? httpClient : null;
    }

    /// <summary>Closes the connections of a client created by <see cref="DataVaultClientFactory"/>.</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Disposes the owned HttpClient.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _ownedHttpClient?.Dispose();
        }
    }
}
