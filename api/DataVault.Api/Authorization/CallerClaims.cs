using System.Security.Claims;
using DataVault.Policies;
using DataVault.Vault.Clients;

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

    /// <summary>The registered client behind the request, loaded once when its token was validated (<see cref="CurrentCaller"/>).</summary>
    public static ClientInfo Client(this HttpContext context) =>
        context.RequestServices.GetRequiredService<CurrentCaller>().RequiredClient;

    /// <summary>
    /// The request comes from <paramref name="client"/>, acting for the staff account <paramref name="onBehalfOf"/> when its
    /// token names one: fills the request's <see cref="CurrentCaller"/>.
    /// </summary>
    public static void SetClient(this HttpContext context, ClientInfo client, string? onBehalfOf = null) =>
        context.RequestServices.GetRequiredService<CurrentCaller>().SetClient(client, onBehalfOf);

    /// <summary>Whether the calling client may process data for <paramref name="purposeId"/>.</summary>
    public static bool MayUsePurpose(this CurrentCaller caller, string purposeId) =>
        caller.RequiredClient.AllowedPurposes.Contains(purposeId, StringComparer.Ordinal);

    /// <summary>
    /// Of <paramref name="fields"/>, the catalogue fields that none of the client's purposes uses, in name order:
    /// a client collects and corrects only what it processes (GDPR Art. 5(1)(b)–(c)). Names the catalogue does
    /// not know are left to validation.
    /// </summary>
    public static IReadOnlyList<string> FieldsOutsidePurposes(this CurrentCaller caller, PolicyCatalogue catalogue, IEnumerable<string> fields)
    {
        ArgumentNullException.ThrowIfNull(catalogue);
        var purposes = caller.RequiredClient.AllowedPurposes
            .Select(id => catalogue.Purposes.GetValueOrDefault(id))
            .OfType<PurposeDefinition>()
            .ToList();
        return fields
            .Where(field => catalogue.Fields.ContainsKey(field) && !purposes.Any(p => p.Fields.Contains(field, StringComparer.Ordinal)))
            .Order(StringComparer.Ordinal)
            .ToList();
    }
}
