using System.Text.Json;
using System.Text.Json.Nodes;

namespace DataVault.Vault.Clients;

/// <summary>How a client proves who it is at the token endpoint.</summary>
public static class ClientAuthentication
{
    /// <summary>A shared secret, by HTTP Basic or in the form (RFC 6749 §2.3.1).</summary>
    public const string Secret = "client_secret";

    /// <summary>A JWT signed with the client's private key, whose public half is registered (RFC 7523 §2.2).</summary>
    public const string PrivateKeyJwt = "private_key_jwt";

    /// <summary>A public client (a browser app such as Swagger UI): no credential; the code flow with PKCE only.</summary>
    public const string None = "none";

    /// <summary>The algorithms a client may sign its assertions with (<see cref="PrivateKeyJwt"/>); a registered key must suit one of them.</summary>
    public static IReadOnlyList<string> AssertionAlgorithms { get; } = ["ES256", "RS256", "PS256"];

    /// <summary>
    /// Spends what checking a secret costs, for a secret presented with a client id nobody registered (always refused),
    /// so response times do not reveal which client ids exist.
    /// </summary>
    public static void CheckSecretOfUnknownClient(string secret) => ClientSecretHasher.VerifyDecoy(secret);
}

/// <summary>
/// Checks what a client registers besides its id: the public key it signs client assertions with, and
/// the addresses the authorization code may be sent to. Both are security-relevant, so anything doubtful is refused.
/// </summary>
internal static class ClientCredentials
{
    private const int MaxRedirectUris = 10;
    private const int MinimumRsaModulusBytes = 256;

    // Members of a private or symmetric JWK (RFC 7518 §6.2.2, §6.3.2, §6.4): a client must never hand those over.
    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    /// <summary>
    /// A public JWK (an object with <c>kty</c>) or a JWK set (<c>{"keys": [...]}</c>) as the JWK set
    /// OpenIddict stores, or null and the reason it is refused: only EC P-256 and RSA (2048 bits or more)
    /// signing keys, never a private or symmetric key.
    /// </summary>
    public static string? NormalizeKeySet(string json, out string? problem)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            problem = "Not JSON: expected a public JWK or a JWK set.";
            return null;
        }

        List<JsonNode?>? keys = root switch
        {
            JsonObject set when set["keys"] is JsonArray array => [.. array],
            JsonObject key when key.ContainsKey("kty") => [key],
            _ => null,
        };
        if (keys is not { Count: > 0 and <= 5 })
        {
            problem = "Expected a public JWK or a JWK set with one to five keys.";
            return null;
        }

        var normalized = new JsonArray();
        foreach (var node in keys)
        {
            problem = node is JsonObject key ? KeyProblem(key) : "Every key must be a JSON object.";
            if (problem is not null)
            {
                return null;
            }

            normalized.Add(node!.DeepClone());
        }

        problem = null;
        return new JsonObject { ["keys"] = normalized }.ToJsonString();
    }

    /// <summary>
    /// The redirect URIs as OpenIddict stores them (a JSON array), or null and the reason they are refused:
    /// absolute <c>https</c> addresses, or <c>http</c> on the loopback interface for native and development
    /// apps (RFC 8252 §7.3), without a fragment (RFC 6749 §3.1.2) or user information.
    /// </summary>
    public static string? NormalizeRedirectUris(IReadOnlyList<string> uris, out string? problem)
    {
        if (uris.Count > MaxRedirectUris)
        {
            problem = $"At most {MaxRedirectUris} redirect URIs.";
            return null;
        }

        foreach (var text in uris)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)
                || text.Length > 2000
                || uri.Fragment.Length > 0
                || uri.UserInfo.Length > 0
                || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
            {
                problem = $"'{text}' is not a redirect URI: use an absolute https address (http only on localhost), without a fragment.";
                return null;
            }
        }

        problem = null;
        return uris.Count == 0 ? null : JsonSerializer.Serialize(uris.Distinct(StringComparer.Ordinal).ToArray());
    }

    /// <summary>The stored redirect URIs (a JSON array, or null).</summary>
    public static IReadOnlyList<string> ReadRedirectUris(string? stored) =>
        string.IsNullOrEmpty(stored) ? [] : JsonSerializer.Deserialize<string[]>(stored) ?? [];

    private static string? KeyProblem(JsonObject key)
    {
        if (PrivateMembers.FirstOrDefault(key.ContainsKey) is { } member)
        {
            return $"The key contains '{member}': register only the public key; the private key never leaves the client.";
        }

        if (key["use"] is JsonNode use && use.ToString() != "sig")
        {
            return "The key's 'use' must be 'sig'.";
        }

        if (key["alg"] is JsonNode alg && !ClientAuthentication.AssertionAlgorithms.Contains(alg.ToString(), StringComparer.Ordinal))
        {
            return $"The key's 'alg' must be one of {string.Join(", ", ClientAuthentication.AssertionAlgorithms)}.";
        }

        return (key["kty"]?.ToString(), key["crv"]?.ToString()) switch
        {
            ("EC", "P-256") when Coordinate(key, "x") is { Length: 32 } && Coordinate(key, "y") is { Length: 32 } => null,
            ("EC", _) => "An EC key must be on the P-256 curve (ES256) with its x and y coordinates.",
            ("RSA", _) when Coordinate(key, "n") is { Length: >= MinimumRsaModulusBytes } && Coordinate(key, "e") is { Length: > 0 } => null,
            ("RSA", _) => "An RSA key needs its modulus n (2048 bits or more) and exponent e.",
            _ => "The key type (kty) must be EC or RSA.",
        };
    }

    private static byte[]? Coordinate(JsonObject key, string name)
    {
        try
        {
            return key[name] is JsonValue value && value.TryGetValue<string>(out var text) ? Encryption.Base64Url.Decode(text) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
