using System.Text.Json;
using DataVault.Vault.Subjects;

namespace DataVault.Api.Endpoints;

/// <summary>Body of <c>POST /api/v1/subjects</c>.</summary>
/// <param name="Fields">Initial values by catalogue field name, e.g. <c>{"email": "ana@example.com"}</c>; may be empty.</param>
internal sealed record CreateSubjectRequest(IReadOnlyDictionary<string, JsonElement> Fields);

/// <summary>Body of <c>PATCH /api/v1/subjects/{subjectId}</c> (GDPR Art. 16 rectification).</summary>
/// <param name="Fields">New values by field name; each adds a version, fields not named are unchanged.</param>
internal sealed record RectifySubjectRequest(IReadOnlyDictionary<string, JsonElement> Fields);

/// <summary>A subject after a write: its fields' versions, never their values (reads go through a purpose).</summary>
/// <param name="Id">Opaque subject id (UUIDv7).</param>
/// <param name="Status"><c>active</c>, <c>restricted</c> or <c>erased</c>.</param>
/// <param name="CreatedAt">When the subject was created.</param>
/// <param name="UpdatedAt">When the subject last changed.</param>
/// <param name="Fields">The latest version of each field the vault holds, by name.</param>
internal sealed record SubjectWriteResponse(
    string Id,
    string Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyDictionary<string, FieldVersionResponse> Fields)
{
    public static SubjectWriteResponse From(SubjectSnapshot snapshot) => new(
        snapshot.Id,
        SubjectService.StatusText(snapshot.Status),
        snapshot.CreatedAt,
        snapshot.UpdatedAt,
        snapshot.Fields.ToDictionary(f => f.Name, f => new FieldVersionResponse(f.Version, f.UpdatedAt), StringComparer.Ordinal));
}

/// <summary>The version of a stored field.</summary>
/// <param name="Version">1 for the first value; each rectification adds one.</param>
/// <param name="UpdatedAt">When this version was written.</param>
internal sealed record FieldVersionResponse(int Version, DateTimeOffset UpdatedAt);

/// <summary>The latest version of a field.</summary>
/// <param name="Value">The value: a string, or an array of strings for list fields.</param>
/// <param name="Version">1 for the first value; each rectification adds one.</param>
/// <param name="UpdatedAt">When this version was written.</param>
internal sealed record FieldValueResponse(JsonElement Value, int Version, DateTimeOffset UpdatedAt);

/// <summary>Subjects whose searchable field matches the lookup value.</summary>
/// <param name="Items">Matching subjects, at most 100.</param>
internal sealed record SubjectLookupResponse(IReadOnlyList<SubjectReference> Items);

/// <summary>A reference to a subject.</summary>
/// <param name="Id">Opaque subject id.</param>
internal sealed record SubjectReference(string Id);

/// <summary>Proof of an erasure (GDPR Art. 17).</summary>
/// <param name="ReceiptId">Id of this receipt.</param>
/// <param name="SubjectId">The erased subject; it answers 410 Gone from now on.</param>
/// <param name="ErasedAt">When the keys were destroyed.</param>
/// <param name="ShreddedKeyGroups">Key groups whose data keys were destroyed; their ciphertexts are unreadable and purged in the background.</param>
/// <param name="RetainedKeyGroups">Key groups kept under a legal obligation, and until when.</param>
internal sealed record ErasureReceiptResponse(
    string ReceiptId,
    string SubjectId,
    DateTimeOffset ErasedAt,
    IReadOnlyList<string> ShreddedKeyGroups,
    IReadOnlyList<RetainedKeyGroupResponse> RetainedKeyGroups)
{
    public static ErasureReceiptResponse From(ErasureReceipt receipt) => new(
        receipt.ReceiptId,
        receipt.SubjectId,
        receipt.ErasedAt,
        receipt.ShreddedKeyGroups,
        receipt.RetainedKeyGroups.Select(r => new RetainedKeyGroupResponse(r.KeyGroup, r.RetainUntil)).ToList());
}

/// <summary>A key group held after erasure.</summary>
/// <param name="KeyGroup">Name of the group, e.g. <c>legal-hold</c>.</param>
/// <param name="RetainUntil">When its data key will be destroyed.</param>
internal sealed record RetainedKeyGroupResponse(string KeyGroup, DateTimeOffset RetainUntil);
