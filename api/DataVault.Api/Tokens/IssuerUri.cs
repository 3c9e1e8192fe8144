namespace DataVault.Api.Tokens;

internal static class IssuerUri
{
    /// <summary>The configured issuer, or the scheme, host and path base of the request.</summary>
    public static string For(HttpRequest request, TokenServiceOptions options) =>
        options.Issuer?.TrimEnd('/') ?? $"{request.Scheme}://{request.Host}{request.PathBase}";
}
