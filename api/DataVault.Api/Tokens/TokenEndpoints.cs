using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using DataVault.Vault;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Signing;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Primitives;

namespace DataVault.Api.Tokens;

/// <summary>Successful token response (RFC 6749 §5.1).</summary>
internal sealed record TokenResponse(
    [property: JsonPropertyName("access_token")] string AccessToken,
    [property: JsonPropertyName("token_type")] string TokenType,
    [property: JsonPropertyName("expires_in")] int ExpiresIn,
    [property: JsonPropertyName("scope")] string Scope);

/// <summary>Error response (RFC 6749 §5.2): OAuth clients expect this shape, not Problem Details.</summary>
internal sealed record TokenError(
    [property: JsonPropertyName("error")] string Error,
    [property: JsonPropertyName("error_description")] string Description);

/// <summary>Authorization server metadata (RFC 8414 §2), also served at the OpenID discovery path.</summary>
internal sealed record AuthorizationServerMetadata(
    [property: JsonPropertyName("issuer")] string Issuer,
    [property: JsonPropertyName("token_endpoint")] string TokenEndpoint,
    [property: JsonPropertyName("jwks_uri")] string JwksUri,
    [property: JsonPropertyName("grant_types_supported")] IReadOnlyList<string> GrantTypesSupported,
    [property: JsonPropertyName("token_endpoint_auth_methods_supported")] IReadOnlyList<string> TokenEndpointAuthMethodsSupported,
    [property: JsonPropertyName("scopes_supported")] IReadOnlyList<string> ScopesSupported,
    [property: JsonPropertyName("response_types_supported")] IReadOnlyList<string> ResponseTypesSupported,
    [property: JsonPropertyName("subject_types_supported")] IReadOnlyList<string> SubjectTypesSupported,
    [property: JsonPropertyName("id_token_signing_alg_values_supported")] IReadOnlyList<string> IdTokenSigningAlgValuesSupported);

/// <summary>
/// The OAuth 2.0 token service: the client credentials grant (RFC 6749 §4.4), authorization-server
/// metadata (RFC 8414, and the OpenID discovery path JwtBearer reads) and the JWKS (RFC 7517).
/// </summary>
internal static class TokenEndpoints
{
    public const string RateLimitPolicy = "token-endpoint";
    private const string ClientCredentials = "client_credentials";

    public static void MapTokenEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/connect/token", IssueToken)
            .WithName("IssueToken")
            .RequireRateLimiting(RateLimitPolicy)
            .AllowAnonymous()
            .ExcludeFromDescription();
        app.MapGet("/.well-known/openid-configuration", GetMetadata).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/.well-known/oauth-authorization-server", GetMetadata).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/.well-known/jwks.json", GetKeys).AllowAnonymous().ExcludeFromDescription();
    }

    internal static async Task<Results<Ok<TokenResponse>, JsonHttpResult<TokenError>>> IssueToken(
        HttpContext context, ClientService clients, AccessTokenIssuer issuer, AuditRecorder audit, CancellationToken cancellationToken)
    {
        var (result, clientId) = await IssueAsync(context, clients, issuer, cancellationToken);
        var outcome = result.Result is Ok<TokenResponse> ? AuditOutcomes.Success : AuditOutcomes.Denied;
        try
        {
            await audit.RecordAsync(new AuditEvent(Actor.Client(clientId ?? "unknown"), AuditActions.TokenIssue), outcome, cancellationToken);
        }
        catch (AuditUnavailableException)
        {
            // Fail closed: no token leaves unless its issue is on record.
            context.Response.Headers.RetryAfter = "5";
            return Error(StatusCodes.Status503ServiceUnavailable, "temporarily_unavailable", "The token service cannot record the request; retry later.");
        }

        return result;
    }

    private static async Task<(Results<Ok<TokenResponse>, JsonHttpResult<TokenError>> Result, string? ClientId)> IssueAsync(
        HttpContext context, ClientService clients, AccessTokenIssuer issuer, CancellationToken cancellationToken)
    {
        context.Response.Headers.CacheControl = "no-store";
        context.Response.Headers.Pragma = "no-cache";
        var request = context.Request;
        if (!request.HasFormContentType)
        {
            return (Error(StatusCodes.Status400BadRequest, "invalid_request", "The request must be application/x-www-form-urlencoded."), null);
        }

        var form = await request.ReadFormAsync(cancellationToken);
        if (form.Any(f => f.Value.Count > 1))
        {
            // RFC 6749 §3.2: request parameters must not be included more than once.
            return (Error(StatusCodes.Status400BadRequest, "invalid_request", "A parameter is repeated."), null);
        }

        var credentials = ReadClientCredentials(request, form);
        if (credentials.Problem is { } problem)
        {
            return (Error(StatusCodes.Status400BadRequest, "invalid_request", problem), null);
        }

        var grantType = form["grant_type"].ToString();
        if (grantType.Length == 0)
        {
            return (Error(StatusCodes.Status400BadRequest, "invalid_request", "grant_type is required."), null);
        }

        if (grantType != ClientCredentials)
        {
            return (Error(StatusCodes.Status400BadRequest, "unsupported_grant_type", "Only the client_credentials grant is supported."), null);
        }

        var client = credentials.ClientId is null || credentials.Secret is null
            ? null
            : await clients.AuthenticateAsync(credentials.ClientId, credentials.Secret, cancellationToken);
        if (client is null)
        {
            if (credentials.UsedBasic)
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"DataVault\", charset=\"UTF-8\"";
            }

            return (Error(StatusCodes.Status401Unauthorized, "invalid_client", "Client authentication failed."), RegisteredLooking(credentials.ClientId));
        }

        var requested = form["scope"].ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var granted = requested.Length == 0 ? client.Scopes : requested.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (granted.Any(s => !client.Scopes.Contains(s, StringComparer.Ordinal)))
        {
            return (Error(StatusCodes.Status400BadRequest, "invalid_scope", "A requested scope is unknown or not granted to this client."), client.Id);
        }

        var token = await issuer.IssueAsync(client, granted, cancellationToken);
        return (TypedResults.Ok(new TokenResponse(token.Token, "Bearer", (int)token.Lifetime.TotalSeconds, string.Join(' ', token.Scopes))), client.Id);
    }

    /// <summary>The metadata names the configured public origin, whatever Host the request carried (RFC 8414 §3.3: it must equal the issuer).</summary>
    internal static Ok<AuthorizationServerMetadata> GetMetadata(PublicOrigin origin)
    {
        return TypedResults.Ok(new AuthorizationServerMetadata(
            origin.Url,
            origin.Combine("/connect/token"),
            origin.Combine("/.well-known/jwks.json"),
            [ClientCredentials],
            ["client_secret_basic", "client_secret_post"],
            [.. Scopes.All.Order(StringComparer.Ordinal)],
            ["token"],
            ["public"],
            ["ES256"]));
    }

    internal static async Task<IResult> GetKeys(SigningKeyStore keys, CancellationToken cancellationToken)
    {
        // Anonymous and cacheable: it only reads; the first key is made at start-up (InitializeVaultAsync).
        var published = await keys.GetPublishedKeysAsync(cancellationToken);
        var json = $"{{\"keys\":[{string.Join(',', published.Select(k => k.PublicJwk))}]}}";
        return TypedResults.Content(json, "application/json", Encoding.UTF8);
    }

    private static (string? ClientId, string? Secret, bool UsedBasic, string? Problem) ReadClientCredentials(HttpRequest request, IFormCollection form)
    {
        var formId = form["client_id"];
        var formSecret = form["client_secret"];
        var header = request.Headers.Authorization.ToString();
        if (!BasicCredentials.IsBasic(header))
        {
            return (NullIfEmpty(formId), NullIfEmpty(formSecret), false, null);
        }

        if (!StringValues.IsNullOrEmpty(formSecret))
        {
            // RFC 6749 §2.3: a client must not use more than one authentication method per request.
            return (null, null, true, "Use either HTTP Basic or client_secret in the body, not both.");
        }

        return BasicCredentials.TryParse(header, out var clientId, out var secret)
            ? (clientId, secret, true, null)
            : (null, null, true, null);
    }

    /// <summary>An attempted client id goes into the audit trail only if it has the form of one.</summary>
    private static string? RegisteredLooking(string? clientId) =>
        clientId is { Length: >= 3 and <= 64 } && clientId.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '_' or '-') ? clientId : null;

    private static string? NullIfEmpty(StringValues value) => StringValues.IsNullOrEmpty(value) ? null : value.ToString();

    private static JsonHttpResult<TokenError> Error(int status, string error, string description) =>
        TypedResults.Json(new TokenError(error, description), (JsonSerializerOptions?)null, "application/json", status);
}
