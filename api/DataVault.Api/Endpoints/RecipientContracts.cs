using DataVault.Vault.Audit;

namespace DataVault.Api.Endpoints;

/// <summary>A client that received (or provided) fields of the subject, for one purpose and set of fields.</summary>
/// <param name="ClientId">The client (OAuth <c>client_id</c>).</param>
/// <param name="PurposeId">The purpose the fields were released for; null when the client provided them (it created or rectified the subject).</param>
/// <param name="Fields">The names of the fields, never their values.</param>
/// <param name="FirstAt">When it first received them.</param>
/// <param name="LastAt">When it last received them, to within the ledger's granularity (default one hour).</param>
/// <param name="Provided">Whether the client provided the fields rather than received them.</param>
/// <param name="FirstAuditSequence">The audit entry that proves the first release.</param>
internal sealed record RecipientResponse(
    string ClientId,
    string? PurposeId,
    IReadOnlyList<string> Fields,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    bool Provided,
    long FirstAuditSequence)
{
    public static RecipientResponse From(RecipientRecord record) =>
        new(record.ClientId, record.PurposeId, record.Fields, record.FirstAt, record.LastAt, record.Provided, record.FirstSequence);
}

/// <summary>Every client that received or provided fields of the subject, and what each was told of the subject's changes.</summary>
/// <param name="Items">The clients that received or provided fields.</param>
/// <param name="Notifications">Per change event of the subject and recipient told of it: when it was told, and when it acknowledged (GDPR Art. 19).</param>
internal sealed record RecipientListResponse(IReadOnlyList<RecipientResponse> Items, IReadOnlyList<ChangeNoticeResponse> Notifications);
