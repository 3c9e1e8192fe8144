using System.Security.Cryptography;
using DataVault.Vault.Audit;
using DataVault.Vault.Mail;
using DataVault.Vault.Storage;

namespace DataVault.Vault.Requests;

/// <summary>How a requester's identity was established (Art. 12(6): the controller may ask for what it needs to confirm it).</summary>
public static class IdentityMethods
{
    /// <summary>The requester entered the one-time code sent to the subject's e-mail address on record.</summary>
    public const string EmailCode = "email-code";

    /// <summary>An officer checked a document; the kind follows the colon (<c>manual:passport</c>), never its number.</summary>
    public const string ManualPrefix = "manual:";

    /// <summary>The requester is the customer the request concerns, signed in to the portal.</summary>
    public const string PortalSignIn = "portal-sign-in";
}

/// <summary>A code sent: where (masked) and until when it works.</summary>
public sealed record IdentityChallenge(string SentTo, DateTimeOffset ExpiresAt);

/// <summary>The result of asking for a code: the challenge, or why none was sent.</summary>
public sealed record IdentityChallengeResult(RequestOutcome Outcome, IdentityChallenge? Challenge, string? Conflict = null);

/// <summary>A one-time code, prepared in the request (digest computed, notice composed) for the write that stores and sends it.</summary>
internal sealed record PreparedChallenge(string Id, byte[] CodeHash, byte[] EmailDigest, DateTimeOffset SentAt, DateTimeOffset ExpiresAt, OutgoingMail Notice);

/// <summary>
/// Stores a new code for a request, revoking its earlier unused ones, and queues the code to the address on record,
/// in one transaction: only for an open, linked, not yet verified request whose subject's address on record is
/// still the one the code is sent to.
/// </summary>
internal sealed class ChallengeIdentityWrite(string requestId, PreparedChallenge challenge, RequestChangeContext change, MailOutbox outbox) : RequestWriteBase(outbox)
{
    protected override RequestWriteResult Execute(VaultWriteContext context)
    {
        if (RequestRows.Find(context, requestId) is not { } request)
        {
            return new RequestWriteResult(RequestOutcome.NotFound);
        }

        var conflict = RequestIdentityRules.ChallengeConflict(request)
            ?? (RequestIdentityRules.IsOnRecord(context, request.SubjectId!, challenge.EmailDigest) ? null : "The subject's e-mail address on record changed; ask again.");
        if (conflict is not null)
        {
            return new RequestWriteResult(RequestOutcome.Conflict, conflict);
        }

        context.Execute("UPDATE request_challenges SET revoked_at = $2 WHERE request_id = $1 AND used_at IS NULL AND revoked_at IS NULL;", requestId, change.Now);
        context.Execute(
            "INSERT INTO request_challenges (id, request_id, code_hash, email_digest, sent_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6);",
            challenge.Id, requestId, challenge.CodeHash, challenge.EmailDigest, challenge.SentAt, challenge.ExpiresAt);
        change.Record(RequestEventKinds.IdentityChallenge, detail: challenge.Id);
        change.Notice = _ => challenge.Notice;
        return Finish(context, change, request);
    }
}

/// <summary>
/// Checks a code against the request's current challenge. A wrong code counts as an attempt, and that count is
/// kept although nothing else changes; a right one marks the challenge used and the requester verified.
/// </summary>
internal sealed class VerifyCodeWrite(string requestId, Func<string, byte[]> hash, int maxAttempts, RequestChangeContext change, MailOutbox outbox) : RequestWriteBase(outbox)
{
    protected override bool Keeps(RequestWriteResult result) => result.Outcome is RequestOutcome.Ok or RequestOutcome.Invalid;

    protected override RequestWriteResult Execute(VaultWriteContext context)
    {
        if (RequestRows.Find(context, requestId) is not { } request)
        {
            return new RequestWriteResult(RequestOutcome.NotFound);
        }

        if (RequestIdentityRules.ChallengeConflict(request) is { } conflict)
        {
            return new RequestWriteResult(RequestOutcome.Conflict, conflict);
        }

        string id;
        byte[] codeHash;
        byte[] emailDigest;
        DateTimeOffset expiresAt;
        int attempts;
        using (var reader = context.Query(
            "SELECT id, code_hash, email_digest, expires_at, attempts FROM request_challenges WHERE request_id = $1 AND used_at IS NULL AND revoked_at IS NULL ORDER BY sent_at DESC LIMIT 1;", requestId))
        {
            if (!reader.Read())
            {
                return new RequestWriteResult(RequestOutcome.Conflict, "No code was sent for this request, or it was used or replaced; ask for a new one.");
            }

            (id, codeHash, emailDigest, expiresAt, attempts) =
                (reader.GetString(0), (byte[])reader.GetValue(1), (byte[])reader.GetValue(2), StoredInstant.Parse(reader.GetString(3)), reader.GetInt32(4));
        }

        if (expiresAt <= change.Now || attempts >= maxAttempts || !RequestIdentityRules.IsOnRecord(context, request.SubjectId!, emailDigest))
        {
            return new RequestWriteResult(RequestOutcome.Conflict, "The code expired, was tried too often, or the address on record changed; ask for a new one.");
        }

        if (!CryptographicOperations.FixedTimeEquals(hash(id), codeHash))
        {
            context.Execute("UPDATE request_challenges SET attempts = attempts + 1 WHERE id = $1;", id);
            return new RequestWriteResult(RequestOutcome.Invalid, $"The code is not the one sent; {maxAttempts - attempts - 1} attempt(s) left.");
        }

        context.Execute("UPDATE request_challenges SET used_at = $2, attempts = attempts + 1 WHERE id = $1;", id, change.Now);
        RequestIdentityRules.Verify(request, IdentityMethods.EmailCode, change, id);
        request.UpdatedAt = change.Now;
        RequestRows.Update(context, request);
        return Finish(context, change, request);
    }
}

/// <summary>The identity rules shared by the writes.</summary>
internal static class RequestIdentityRules
{
    /// <summary>Why identity cannot be checked now, or null: only an open request about a known subject, not yet verified.</summary>
    public static string? ChallengeConflict(RequestRecord request) =>
        !RequestStatuses.IsOpen(request.Status) ? $"A request that is {request.Status} needs no identity check."
        : request.SubjectId is null ? "The request is not linked to a subject whose identity could be established."
        : request.IdentityMethod is not null ? "The requester's identity is already established."
        : null;

    /// <summary>Whether <paramref name="digest"/> is still the blind-index digest of the subject's e-mail on record.</summary>
    public static bool IsOnRecord(VaultWriteContext context, string subjectId, byte[] digest) =>
        context.Scalar("SELECT digest FROM blind_index WHERE subject_id = $1 AND field = 'email';", subjectId) is byte[] onRecord
        && CryptographicOperations.FixedTimeEquals(onRecord, digest);

    public static void Verify(RequestRecord request, string method, RequestChangeContext change, string? detail)
    {
        request.IdentityMethod = method;
        request.IdentityVerifiedAt = change.Now;
        change.Record(RequestEventKinds.IdentityVerified, detail: detail is null ? method : $"{method} {detail}");
    }
}
