namespace DataVault.Vault.Consents;

/// <summary>
/// Signs a consent receipt (a compact JWS) for a recorded consent event. The host that holds the
/// signing keys and publishes them provides it, so the API and the portal hand out the same receipts.
/// </summary>
public interface IConsentReceiptSigner
{
    /// <summary>A freshly signed receipt of <paramref name="consent"/>, issued by the service's public origin.</summary>
    Task<string> SignAsync(ConsentEventView consent, CancellationToken cancellationToken);
}
