namespace DataVault.Vault.Audit;

/// <summary>
/// Who acts: an integrating system (client id), the subject themself (portal), a compliance officer (account id),
/// the vault itself (<c>system</c>: start-up, the administration verbs, the mail sender) or a visitor nobody
/// authenticated. Consent, restriction and objection events store it as who recorded them, and every audit entry
/// names it. The types are the stable codes of <see cref="AuditActors"/>.
/// </summary>
/// <param name="Type">One of <see cref="AuditActors"/>.</param>
/// <param name="Id">The client id, subject id, account id, or which part of the vault acts.</param>
/// <param name="OnBehalfOf">
/// The person a client acts for (a staff member using a CRM's screens, whose token from the authorization code
/// flow names both), beside the client rather than instead of it; null when the actor acts on its own.
/// <see cref="AuditRecorder"/> is the one place that turns an actor into the columns of an entry, this one into
/// <c>on_behalf_of</c>. Recorded events (consents, restrictions, objections) name the client, as before.
/// </param>
/// <param name="RequestId">
/// The data-subject request the actor acts to fulfil (<see cref="ForRequest"/>), null otherwise: every audit entry and
/// change event the action makes names it (<c>request_id</c>), so the trail proves how each request was answered.
/// </param>
public sealed record Actor(string Type, string Id, string? OnBehalfOf = null, string? RequestId = null)
{
    public const string ClientType = AuditActors.Client;
    public const string SubjectType = AuditActors.Subject;
    public const string OfficerType = AuditActors.Officer;

    /// <summary>A client; <paramref name="onBehalfOf"/> is the staff account it acts for, if its token names one.</summary>
    public static Actor Client(string clientId, string? onBehalfOf = null) => new(ClientType, clientId, onBehalfOf);

    public static Actor Subject(string subjectId) => new(SubjectType, subjectId);

    public static Actor Officer(string accountId) => new(OfficerType, accountId);

    /// <summary>The vault itself; <paramref name="part"/> names which part of it (<c>datavault</c>, <c>cli</c>, <c>mail</c>).</summary>
    public static Actor System(string part) => new(AuditActors.System, part);

    /// <summary>Someone nobody authenticated; <paramref name="id"/> says through what, never who.</summary>
    public static Actor Anonymous(string id) => new(AuditActors.Anonymous, id);

    public bool IsClient => Type == ClientType;

    /// <summary>The same actor, acting to fulfil the data-subject request <paramref name="requestId"/>.</summary>
    public Actor ForRequest(string requestId) => this with { RequestId = requestId };
}
