using DataVault.Api.Consents;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Vault.Consents;
using DataVault.Vault.Release;

namespace DataVault.Api.Endpoints;

/// <summary>Title and description of a purpose in one language.</summary>
internal sealed record PurposeTextResponse(string Title, string Description);

/// <summary>A purpose of the catalogue.</summary>
/// <param name="Id">Purpose id.</param>
/// <param name="Version">Hash of its definition; consent binds to it.</param>
/// <param name="LawfulBasis">GDPR Art. 6(1) basis: consent, contract, legal-obligation, vital-interests, public-task, legitimate-interests.</param>
/// <param name="Fields">Fields the purpose may use.</param>
/// <param name="Retention">How long data is kept for it (ISO 8601 period).</param>
/// <param name="GpcObjection">Whether a Global Privacy Control signal objects to it (sale or sharing).</param>
/// <param name="DirectMarketing">Whether it is direct marketing (GDPR Art. 21(2)-(3)): no client can lift an objection to it.</param>
/// <param name="Text">Title and description by language (en, es, ca, it, et).</param>
internal sealed record PurposeResponse(
    string Id,
    string Version,
    string LawfulBasis,
    IReadOnlyList<string> Fields,
    string Retention,
    bool GpcObjection,
    bool DirectMarketing,
    IReadOnlyDictionary<string, PurposeTextResponse> Text)
{
    public static PurposeResponse From(PurposeDefinition p) => new(
        p.Id,
        p.Version,
        ConsentReceiptSigner.LawfulBasisText(p.LawfulBasis),
        p.Fields,
        p.Retention.ToString(),
        p.GpcObjection,
        p.DirectMarketing,
        p.Text.ToDictionary(t => t.Key, t => new PurposeTextResponse(t.Value.Title, t.Value.Description), StringComparer.Ordinal));
}

/// <summary>The purpose catalogue.</summary>
internal sealed record PurposeListResponse(IReadOnlyList<PurposeResponse> Items);

/// <summary>A field that was not released, and why.</summary>
/// <param name="Field">The field name; its value never leaves the vault.</param>
/// <param name="Reason">no-consent, expired, not-in-purpose, restricted, objected or erased.</param>
internal sealed record WithheldFieldResponse(string Field, WithheldReason Reason);

/// <summary>A subject as released for one purpose.</summary>
/// <param name="Id">Subject id.</param>
/// <param name="PurposeId">The purpose read for.</param>
/// <param name="PurposeVersion">The purpose version the decision used.</param>
/// <param name="Fields">Released fields by name.</param>
/// <param name="Withheld">Every other field the vault holds, named with the reason it was withheld.</param>
internal sealed record ReleasedSubjectResponse(
    string Id,
    string PurposeId,
    string PurposeVersion,
    IReadOnlyDictionary<string, FieldValueResponse> Fields,
    IReadOnlyList<WithheldFieldResponse> Withheld)
{
    public static ReleasedSubjectResponse From(ReleasedSubject s) => new(
        s.SubjectId,
        s.PurposeId,
        s.PurposeVersion,
        s.Released.ToDictionary(f => f.Name, f => new FieldValueResponse(f.Value, f.Version, f.UpdatedAt), StringComparer.Ordinal),
        s.Withheld.Select(w => new WithheldFieldResponse(w.Field, w.Reason)).ToList());
}

/// <summary>One page of the subjects released for a purpose.</summary>
/// <param name="Items">Released subjects with their released fields; may be fewer than asked even when more follow.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> to get the next page; null after the last.</param>
internal sealed record ReleasedSubjectPageResponse(IReadOnlyList<ReleasedSubjectResponse> Items, string? NextCursor);
