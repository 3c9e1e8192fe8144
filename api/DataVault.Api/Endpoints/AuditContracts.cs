using DataVault.Vault.Audit;

namespace DataVault.Api.Endpoints;

/// <summary>One audit entry. It never holds a personal value, only ids, field names and codes.</summary>
/// <param name="Sequence">Position in the hash chain, from 1.</param>
/// <param name="OccurredAt">When the access happened.</param>
/// <param name="ActorType">client, subject, officer or system.</param>
/// <param name="ActorId">Client id, subject id, officer id or system name.</param>
/// <param name="Action">Stable code, e.g. <c>subject.read</c>.</param>
/// <param name="SubjectId">The subject concerned, if any.</param>
/// <param name="PurposeId">The purpose stated, if any.</param>
/// <param name="Fields">Names of the fields released or written, comma-separated.</param>
/// <param name="Withheld"><c>field:reason</c> pairs, comma-separated.</param>
/// <param name="Outcome">success, invalid, denied, not-found, gone or failed.</param>
/// <param name="TraceId">W3C trace id of the request.</param>
/// <param name="Hash">SHA-256 chain hash of the entry, hex.</param>
/// <param name="OnBehalfOf">The staff account a client acted for (a person using its screens, authorization code flow); null when the actor acted on its own.</param>
/// <param name="RequestId">The data-subject request the action was taken for; null when it was taken for none.</param>
internal sealed record AuditEntryResponse(
    long Sequence,
    DateTimeOffset OccurredAt,
    string ActorType,
    string ActorId,
    string Action,
    string? SubjectId,
    string? PurposeId,
    string? Fields,
    string? Withheld,
    string Outcome,
    string? TraceId,
    string Hash,
    string? OnBehalfOf,
    string? RequestId)
{
    public static AuditEntryResponse From(AuditEntry e) => new(
        e.Sequence, e.OccurredAt, e.Record.ActorType, e.Record.ActorId, e.Record.Action, e.Record.SubjectId, e.Record.PurposeId,
        e.Record.Fields, e.Record.Withheld, e.Record.Outcome, e.Record.TraceId, Convert.ToHexStringLower(e.Hash), e.Record.OnBehalfOf, e.Record.RequestId);
}

/// <summary>A page of audit entries, newest first.</summary>
/// <param name="Items">The entries.</param>
/// <param name="NextCursor">Pass as <c>cursor</c> for older entries; null after the oldest.</param>
internal sealed record AuditPageResponse(IReadOnlyList<AuditEntryResponse> Items, long? NextCursor);

/// <summary>The result of verifying the audit trail.</summary>
/// <param name="Valid">True when the chain and every checkpoint hold.</param>
/// <param name="Entries">Entries verified.</param>
/// <param name="Checkpoints">Signed checkpoints verified.</param>
/// <param name="FirstBadSequence">The first sequence number found wrong.</param>
/// <param name="Problem">What is wrong there.</param>
internal sealed record AuditVerificationResponse(bool Valid, long Entries, int Checkpoints, long? FirstBadSequence, string? Problem)
{
    public static AuditVerificationResponse From(AuditVerification v) => new(v.IsValid, v.Entries, v.Checkpoints, v.FirstBadSequence, v.Problem);
}

/// <summary>A signed checkpoint, to keep outside the database.</summary>
/// <param name="Sequence">The chain position it covers.</param>
/// <param name="Hash">The chain hash at that position, hex.</param>
/// <param name="CreatedAt">When it was signed.</param>
/// <param name="KeyId">The signing key (published in the JWKS while current).</param>
/// <param name="PublicJwk">The public key, as JWK JSON.</param>
/// <param name="Signature">Compact JWS (ES256) over sequence and hash.</param>
internal sealed record AuditCheckpointResponse(long Sequence, string Hash, DateTimeOffset CreatedAt, string KeyId, string PublicJwk, string Signature)
{
    public static AuditCheckpointResponse From(AuditCheckpoint c) =>
        new(c.Sequence, Convert.ToHexStringLower(c.Hash), c.CreatedAt, c.KeyId, c.PublicJwk, c.Signature);

    public AuditCheckpoint ToCheckpoint() => new(Sequence, Convert.FromHexString(Hash), CreatedAt, KeyId, PublicJwk, Signature);
}

/// <summary>Body of a verification request: optionally, checkpoints exported earlier and kept elsewhere.</summary>
/// <param name="Checkpoints">Exported checkpoints to hold the trail against; none to check it on its own.</param>
internal sealed record AuditVerificationRequest(IReadOnlyList<AuditCheckpointResponse>? Checkpoints = null);
