using DataVault.Vault.Clients;

namespace DataVault.Portal.SelfService;

/// <summary>
/// The recipients of a purpose (GDPR Art. 13(1)(e), 15(1)(c)): the registered organisations and systems that
/// may receive data for it, that is every enabled client the purpose is allowed to, in a stable order.
/// </summary>
internal static class PurposeRecipients
{
    public static IReadOnlyList<ClientInfo> Of(IEnumerable<ClientInfo> clients, string purposeId) =>
        clients.Where(c => c.IsEnabled && c.AllowedPurposes.Contains(purposeId, StringComparer.Ordinal))
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
}
