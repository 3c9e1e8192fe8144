using System.Collections.Frozen;

namespace DataVault.Vault.Clients;

/// <summary>The OAuth scopes of the API; each route declares the one it needs.</summary>
public static class Scopes
{
    public const string SubjectsRead = "subjects.read";
    public const string SubjectsWrite = "subjects.write";
    public const string ConsentsWrite = "consents.write";
    public const string SubjectsErase = "subjects.erase";
    public const string AuditRead = "audit.read";
    public const string RequestsManage = "requests.manage";

    /// <summary>
    /// Invite a subject to the privacy portal. Separate from <see cref="SubjectsWrite"/>: an invitation
    /// leads to an account that sees, exports and erases everything held on the subject, so a client that
    /// may only write fields must not be able to start one.
    /// </summary>
    public const string SubjectsInvite = "subjects.invite";

    /// <summary>
    /// Read the change feed: the withdrawals, objections, restrictions, rectifications and erasures concerning data the
    /// client received (GDPR Art. 19), and new consents for its purposes.
    /// </summary>
    public const string ChangesRead = "changes.read";

    public static FrozenSet<string> All { get; } = new[] { SubjectsRead, SubjectsWrite, ConsentsWrite, SubjectsErase, AuditRead, RequestsManage, SubjectsInvite, ChangesRead }
        .ToFrozenSet(StringComparer.Ordinal);
}
