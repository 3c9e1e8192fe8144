using System.Globalization;

namespace DataVault.Client;

/// <summary>Where the vault is and how this integrating system signs in (OAuth 2.0 client credentials).</summary>
/// <remarks>
/// <see cref="ToString"/> never shows <see cref="ClientSecret"/>, so the options can be logged.
/// Keep the secret out of source code: read it from the environment or a secret store.
/// </remarks>
public sealed class DataVaultClientOptions
{
    /// <summary>The service root, e.g. <c>https://vault.example.com/</c>. Required. Plain HTTP is refused except to a loopback address.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>The client id registered with <c>clients add</c>. Required.</summary>
    public string ClientId { get; set; } = string.Empty;

    /// <summary>The client secret printed once by <c>clients add</c>. Required.</summary>
    public string ClientSecret { get; set; } = string.Empty;

    /// <summary>Scopes to ask for, e.g. <c>subjects.read</c>. Default: none named, so every scope the client was granted.</summary>
    public IList<string> Scopes { get; } = [];

    /// <summary>The token endpoint. Default: <c>connect/token</c> under <see cref="BaseAddress"/>; set it when tokens come from an external identity provider.</summary>
    public Uri? TokenEndpoint { get; set; }

    /// <summary>
    /// How long before expiry a cached access token is replaced. Default: 60 seconds, so a token never
    /// expires in flight; at most half of a token's lifetime is used for very short-lived tokens.
    /// </summary>
    public TimeSpan RefreshBeforeExpiry { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of each HTTP request. Default: 100 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>The token endpoint actually used.</summary>
    internal Uri ResolvedTokenEndpoint => TokenEndpoint ?? new Uri(ServiceRoot, "connect/token");

    /// <summary><see cref="BaseAddress"/> ending in '/', so the generated relative paths (<c>api/v1/...</c>) resolve under it.</summary>
    internal Uri ServiceRoot
    {
        get
        {
            var address = BaseAddress ?? throw new InvalidOperationException("DataVaultClientOptions.BaseAddress is required.");
            return address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");
        }
    }

    /// <summary>Fails fast, before any request, on options that cannot work.</summary>
    /// <exception cref="InvalidOperationException">A required option is missing or unsafe.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            problems.Add("BaseAddress must be an absolute URI.");
        }
        else if (!IsSafe(BaseAddress))
        {
            // RFC 6749 §2.3.1: client credentials only over TLS.
            problems.Add("BaseAddress must use https (plain http only to a loopback address).");
        }

        if (TokenEndpoint is not null && (!TokenEndpoint.IsAbsoluteUri || !IsSafe(TokenEndpoint)))
        {
            problems.Add("TokenEndpoint must be an absolute https URI (plain http only to a loopback address).");
        }

        if (string.IsNullOrWhiteSpace(ClientId))
        {
            problems.Add("ClientId is required.");
        }

        if (string.IsNullOrEmpty(ClientSecret))
        {
            problems.Add("ClientSecret is required.");
        }

        if (Scopes.Any(s => string.IsNullOrWhiteSpace(s) || s.Contains(' ', StringComparison.Ordinal)))
        {
            problems.Add("Scopes must be single non-empty words.");
        }

        if (RefreshBeforeExpiry < TimeSpan.Zero)
        {
            problems.Add("RefreshBeforeExpiry must not be negative.");
        }

        if (Timeout <= TimeSpan.Zero && Timeout != System.Threading.Timeout.InfiniteTimeSpan)
        {
            problems.Add("Timeout must be positive.");
        }

        if (problems.Count > 0)
        {
            throw new InvalidOperationException("Invalid DataVault client options: " + string.Join(" ", problems));
        }
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"DataVaultClientOptions {{ BaseAddress = {BaseAddress}, ClientId = {ClientId}, ClientSecret = {(ClientSecret.Length == 0 ? "(none)" : "(hidden)")}, Scopes = [{string.Join(' ', Scopes)}] }}");

    private static bool IsSafe(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback);
}
