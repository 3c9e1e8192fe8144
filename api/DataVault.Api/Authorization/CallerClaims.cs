using System.Security.Claims;

namespace DataVault.Api.Authorization;

/// <summary>
/// Reads who is calling and what they may do from an access token's claims. Tokens from the built-in
/// service carry <c>client_id</c> and a space-separated <c>scope</c> (RFC 9068); external providers
/// may use <c>azp</c> or <c>appid</c>, and <c>scp</c> (Entra ID), so those are read too.
/// </summary>
internal static class CallerClaims
{
    public static string? ClientId(this ClaimsPrincipal principal) =>
        principal.FindFirst("client_id")?.Value ?? principal.FindFirst("azp")?.Value ?? principal.FindFirst("appid")?.Value;

    public static bool HasScope(this ClaimsPrincipal principal, string scope) =>
        principal.FindAll("scope").Concat(principal.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
}
