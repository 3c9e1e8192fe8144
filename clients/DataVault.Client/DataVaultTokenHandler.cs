using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace DataVault.Client;

/// <summary>
/// Puts an OAuth 2.0 access token on every request to the vault. The token comes from the token
/// endpoint with the client credentials grant (RFC 6749 §4.4), is cached, and is replaced
/// <see cref="DataVaultClientOptions.RefreshBeforeExpiry"/> before it expires; concurrent requests
/// share one refresh. A 401 from the API drops the cached token and the request is sent once more
/// with a new one.
/// </summary>
/// <remarks>
/// Token requests go through this handler's inner handler (not through a second HttpClient), so the
/// same transport carries both. Neither the secret nor a token is logged or shown by
/// <see cref="ToString"/>, and a token is only sent to the vault's own origin.
/// </remarks>
public sealed class DataVaultTokenHandler : DelegatingHandler
{
    private static readonly TimeSpan DefaultLifetime = TimeSpan.FromMinutes(5);

    private readonly string _clientId;
    private readonly string _clientSecret;
    private readonly string? _scope;
    private readonly Uri _serviceRoot;
    private readonly Uri _tokenEndpoint;
    private readonly TimeSpan _refreshBeforeExpiry;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshLock = new(1, 1);
    private volatile CachedToken? _token;

    /// <summary>A handler whose inner handler is set later (e.g. by <c>IHttpClientFactory</c>).</summary>
    public DataVaultTokenHandler(DataVaultClientOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _clientId = options.ClientId;
        _clientSecret = options.ClientSecret;
        _scope = options.Scopes.Count == 0 ? null : string.Join(' ', options.Scopes);
        _serviceRoot = options.ServiceRoot;
        _tokenEndpoint = options.ResolvedTokenEndpoint;
        _refreshBeforeExpiry = options.RefreshBeforeExpiry;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <summary>A handler that sends through <paramref name="innerHandler"/>.</summary>
    public DataVaultTokenHandler(DataVaultClientOptions options, HttpMessageHandler innerHandler, TimeProvider? timeProvider = null)
        : this(options, timeProvider)
    {
        InnerHandler = innerHandler;
    }

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is not null || !IsForTheVault(request.RequestUri))
        {
            return await base.SendAsync(request, cancellationToken);
        }

        var token = await GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token.Value);
        var response = await base.SendAsync(request, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Unauthorized)
        {
            return response;
        }

        // Revoked token, rotated signing keys, clock skew: drop the token (unless another request
        // already replaced it) and try once more with a new one. A 401 means the API did nothing
        // with the request, so sending it again is safe when its body can be read again.
        Interlocked.CompareExchange(ref _token, null, token);
        if (request.Content is not (null or ByteArrayContent))
        {
            return response;
        }

        response.Dispose();
        var renewed = await GetTokenAsync(cancellationToken);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", renewed.Value);
        return await base.SendAsync(request, cancellationToken);
    }

    /// <inheritdoc />
    public override string ToString() => $"DataVaultTokenHandler {{ ClientId = {_clientId}, TokenEndpoint = {_tokenEndpoint} }}";

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _refreshLock.Dispose();
        }

        base.Dispose(disposing);
    }

    private async ValueTask<CachedToken> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_token is { } cached && _time.GetUtcNow() < cached.RefreshAt)
        {
            return cached;
        }

        await _refreshLock.WaitAsync(cancellationToken);
        try
        {
            // Another request may have refreshed it while this one waited.
            if (_token is { } fresh && _time.GetUtcNow() < fresh.RefreshAt)
            {
                return fresh;
            }

            var token = await RequestTokenAsync(cancellationToken);
            _token = token;
            return token;
        }
        finally
        {
            _refreshLock.Release();
        }
    }

    private async Task<CachedToken> RequestTokenAsync(CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string> { ["grant_type"] = "client_credentials" };
        if (_scope is not null)
        {
            form["scope"] = _scope;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _tokenEndpoint) { Content = new FormUrlEncodedContent(form) };

        // RFC 6749 §2.3.1: HTTP Basic over the form-urlencoded id and secret.
        var credentials = $"{WebUtility.UrlEncode(_clientId)}:{WebUtility.UrlEncode(_clientSecret)}";
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));

        var requestedAt = _time.GetUtcNow();
        using var response = await base.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = TryParse(body);
        if (!response.IsSuccessStatusCode)
        {
            throw new DataVaultTokenException(
                (int)response.StatusCode,
                String(json, "error") ?? "token_request_failed",
                String(json, "error_description") ?? response.ReasonPhrase,
                Headers(response));
        }

        var accessToken = String(json, "access_token");
        var tokenType = String(json, "token_type");
        if (accessToken is null || !string.Equals(tokenType, "Bearer", StringComparison.OrdinalIgnoreCase))
        {
            throw new DataVaultTokenException((int)response.StatusCode, "invalid_token_response", "The token endpoint did not return a bearer access token.", Headers(response));
        }

        // RFC 6749 §5.1: expires_in is recommended, not required; without it assume a short life.
        var lifetime = json is { } root && root.TryGetProperty("expires_in", out var expiresIn) && expiresIn.TryGetInt32(out var seconds) && seconds > 0
            ? TimeSpan.FromSeconds(seconds)
            : DefaultLifetime;
        var early = _refreshBeforeExpiry < lifetime / 2 ? _refreshBeforeExpiry : lifetime / 2;
        return new CachedToken(accessToken, requestedAt + lifetime - early);
    }

    private bool IsForTheVault(Uri? uri) =>
        uri is { IsAbsoluteUri: true } &&
        Uri.Compare(uri, _serviceRoot, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0 &&
        uri.AbsolutePath.StartsWith(_serviceRoot.AbsolutePath, StringComparison.Ordinal);

    private static JsonElement? TryParse(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? String(JsonElement? root, string name) =>
        root is { } element && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Dictionary<string, IEnumerable<string>> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, IEnumerable<string>>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
        {
            headers[name] = values;
        }

        return headers;
    }

    /// <summary>An access token and when to replace it; never printed.</summary>
    private sealed class CachedToken(string value, DateTimeOffset refreshAt)
    {
        public string Value { get; } = value;

        public DateTimeOffset RefreshAt { get; } = refreshAt;

        public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"(access token, refresh at {RefreshAt:O})");
    }
}
