namespace DataVault.Vault.Audit;

/// <summary>
/// Who acts: an integrating system (client id), the subject themself (portal), a compliance officer (account id),
/// the vault itself (<c>system</c>: start-up, the administration verbs, the mail sender) or a visitor nobody
/// authenticated. Consent, restriction and objection events store it as who recorded them, and every audit entry
/// names it. The types are the stable codes of <see cref="AuditActors"/>.
/// </summary>
/// <remarks>
/// A person acting through a client (staff using a CRM screen) belongs beside the client, not instead of it: it
/// would be an optional property of this record, stored in a column of its own, and
/// <see cref="AuditRecorder"/> is the one place that turns an actor into the columns of an entry.
/// </remarks>
public sealed record Actor(string Type, string Id)
{
    public const string ClientType = AuditActors.Client;
    public const string SubjectType = AuditActors.Subject;
    public const string OfficerType = AuditActors.Officer;

    public static Actor Client(string clientId) => new(ClientType, clientId);

    public static Actor Subject(string subjectId) => new(SubjectType, subjectId);

    public static Actor Officer(string accountId) => new(OfficerType, accountId);

    /// <summary>The vault itself; <paramref name="part"/> names which part of it (<c>datavault</c>, <c>cli</c>, <c>mail</c>).</summary>
    public static Actor System(string part) => new(AuditActors.System, part);

    /// <summary>Someone nobody authenticated; <paramref name="id"/> says through what, never who.</summary>
    public static Actor Anonymous(string id) => new(AuditActors.Anonymous, id);

    public bool IsClient => Type == ClientType;
}
