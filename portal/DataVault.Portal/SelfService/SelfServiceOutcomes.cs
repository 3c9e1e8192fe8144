using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.SelfService;

/// <summary>The audit outcome of a vault result, as the API's audit filter derives it from the status code the result maps to.</summary>
internal static class SelfServiceOutcomes
{
    public static string From(VaultOutcome outcome) => AuditOutcomes.From(outcome);
}
