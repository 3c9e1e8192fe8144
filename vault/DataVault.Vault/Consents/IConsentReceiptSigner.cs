using Microsoft.AspNetCore.Http;

namespace DataVault.Vault.Consents;

/// <summary>
/// Signs a consent receipt (a compact JWS) for a recorded consent event. The host that holds the
/// signing keys and publishes them provides it, so the API and the portal hand out the same receipts.
/// </summary>
internal interface IConsentReceiptSigner
{
    /// <summary>A freshly signed receipt of <paramref name="consent"/>; <paramref name="request"/> names the issuer when none is configured.</summary>
    Task<string> SignAsync(HttpRequest request, ConsentEventView consent, CancellationToken cancellationToken);
}
