using System.Security.Claims;
using DataVault.Vault.Clients;

namespace DataVault.Api.Authorization;

/// <summary>
/// Reads who is calling and what they may do from an access token's claims. Tokens from the built-in
/// service carry <c>client_id</c> and a space-separated <c>scope</c> (RFC 9068); external providers
/// may use <c>azp</c> or <c>appid</c>, and <c>scp</c> (Entra ID), so those are read too.
/// </summary>
internal static class CallerClaims
{
    private static readonly object StaffKey = new();

    public static string? ClientId(this ClaimsPrincipal principal) =>
        principal.FindFirst("client_id")?.Value ?? principal.FindFirst("azp")?.Value ?? principal.FindFirst("appid")?.Value;

    public static bool HasScope(this ClaimsPrincipal principal, string scope) =>
        principal.FindAll("scope").Concat(principal.FindAll("scp"))
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);

    /// <summary>The registered client behind the request, loaded once when its token was validated.</summary>
    public static ClientInfo Client(this HttpContext context) =>
        context.Items.TryGetValue(typeof(ClientInfo), out var client) && client is ClientInfo info
            ? info
            : throw new InvalidOperationException("No authenticated client: the route must require authorization.");

    public static void SetClient(this HttpContext context, ClientInfo client) => context.Items[typeof(ClientInfo)] = client;

    /// <summary>
    /// The staff account the client acts for (a CRM's screens, authorization code flow), or null when the
    /// client acts on its own. Set only from tokens of the built-in authorization server, which issues the
    /// claim <see cref="TokenClaims.Staff"/> for the agent who consented.
    /// </summary>
    public static string? StaffId(this HttpContext context) =>
        context.Items.TryGetValue(StaffKey, out var staff) ? staff as string : null;

    public static void SetStaff(this HttpContext context, string staffId) => context.Items[StaffKey] = staffId;

    /// <summary>Whether the calling client may process data for <paramref name="purposeId"/>.</summary>
    public static bool MayUsePurpose(this HttpContext context, string purposeId) =>
        context.Client().AllowedPurposes.Contains(purposeId, StringComparer.Ordinal);
}
