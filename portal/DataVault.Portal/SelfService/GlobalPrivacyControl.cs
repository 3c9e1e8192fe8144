using DataVault.Policies;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using Microsoft.AspNetCore.Http;

namespace DataVault.Portal.SelfService;

/// <summary>What the Global Privacy Control signal of this request did, for the notice the pages show.</summary>
/// <param name="Sent">Whether the browser sent <c>Sec-GPC: 1</c>.</param>
/// <param name="Recorded">The purposes objected to because of it by this request (empty when already in force).</param>
/// <param name="Purposes">Every purpose the signal objects to (the catalogue's sale or sharing purposes).</param>
internal sealed record GpcNotice(bool Sent, IReadOnlyList<string> Recorded, IReadOnlyList<string> Purposes);

/// <summary>
/// Global Privacy Control in the portal: a request of the signed-in customer that carries
/// <c>Sec-GPC: 1</c> records an objection to every purpose the catalogue marks for it, through
/// <see cref="ConsentService.ApplyGlobalPrivacyControlAsync"/> exactly as the API's filter does, the
/// objections written only with their audit entries on record.
/// </summary>
internal static class GlobalPrivacyControl
{
    /// <summary>Applies the signal when sent; null when its audit entry could not be made durable (answer 503).</summary>
    public static async Task<GpcNotice?> ApplyAsync(HttpContext http, ConsentService consents, PolicyCatalogue catalogue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(consents);
        ArgumentNullException.ThrowIfNull(catalogue);
        var purposes = catalogue.Purposes.Values.Where(p => p.GpcObjection).Select(p => p.Id).Order(StringComparer.Ordinal).ToList();
        if (http.Request.Headers["Sec-GPC"] != "1")
        {
            return new GpcNotice(false, [], purposes);
        }

        var subjectId = http.User.SubjectId();
        try
        {
            return new GpcNotice(true, await consents.ApplyGlobalPrivacyControlAsync(subjectId, Actor.Subject(subjectId), cancellationToken), purposes);
        }
        catch (AuditUnavailableException)
        {
            return null;
        }
    }
}
