using System.Collections.Frozen;

namespace DataVault.Vault.Clients;

/// <summary>The OAuth scopes of the API; each route declares the one it needs.</summary>
internal static class Scopes
{
    public const string SubjectsRead = "subjects.read";
    public const string SubjectsWrite = "subjects.write";
    public const string ConsentsWrite = "consents.write";
    public const string SubjectsErase = "subjects.erase";
    public const string AuditRead = "audit.read";
    public const string RequestsManage = "requests.manage";

    public static FrozenSet<string> All { get; } = new[] { SubjectsRead, SubjectsWrite, ConsentsWrite, SubjectsErase, AuditRead, RequestsManage }
        .ToFrozenSet(StringComparer.Ordinal);
}
