using System.Security.Cryptography;
using DataVault.Policies;
using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

/// <summary>Why an invitation was or was not created.</summary>
public enum InvitationOutcome
{
    Created,
    SubjectNotFound,
    SubjectErased,
    AccountExists,

    /// <summary>The subject has no e-mail address on record, so there is nowhere the vault may send a link.</summary>
    NoEmailOnRecord,
}

/// <summary>
/// A new invitation. The token and the address stay inside the vault (the mail channel sends them to
/// the address); callers outside it see <see cref="RecipientMask"/> and <see cref="ExpiresAt"/> only.
/// </summary>
public sealed record CreatedInvitation(string Id, string SubjectId, string Token, DateTimeOffset ExpiresAt, string Address, string RecipientMask, string? Language)
{
    public override string ToString() => $"CreatedInvitation {{ Id = {Id}, SubjectId = {SubjectId}, Token = ***, ExpiresAt = {ExpiresAt:O}, Address = {RecipientMask} }}";
}

public sealed record InvitationResult(InvitationOutcome Outcome, CreatedInvitation? Invitation);

/// <summary>How an address an officer was shown compares with the subject's e-mail address on record.</summary>
public enum AddressOnRecord
{
    Same,
    Different,
    None,
    InvalidAddress,
    SubjectNotFound,
    SubjectErased,
}

/// <summary>
/// Invitations to the portal. The vault e-mails the one-time link to the subject's own address on
/// record; whoever asked for it (a client, an officer) never sees the link, and the account it creates
/// signs in with that same address, taken from the vault, never typed by the visitor. Links are single
/// use, expire, work only while the address on record is the one they were sent to, and a new one
/// revokes the subject's earlier unused ones.
/// </summary>
public sealed class InvitationService : IAccountActivation
{
    private readonly AccountsDbContext db;
    private readonly UserManager<CustomerAccount> users;
    private readonly SubjectService subjects;
    private readonly PolicyCatalogue catalogue;
    private readonly IMailChannel mail;
    private readonly IOptions<AccountOptions> options;
    private readonly IOptions<MailOptions> mailOptions;
    private readonly TimeProvider time;
    private readonly ILogger<InvitationService> logger;

    internal InvitationService(
        AccountsDbContext db,
        UserManager<CustomerAccount> users,
        SubjectService subjects,
        PolicyCatalogue catalogue,
        IMailChannel mail,
        IOptions<AccountOptions> options,
        IOptions<MailOptions> mailOptions,
        TimeProvider time,
        ILogger<InvitationService> logger)
    {
        this.db = db;
        this.users = users;
        this.subjects = subjects;
        this.catalogue = catalogue;
        this.mail = mail;
        this.options = options;
        this.mailOptions = mailOptions;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>The catalogue field holding the subject's e-mail address.</summary>
    public const string EmailField = "email";

    private const string LanguageField = "preferred_language";

    /// <summary>
    /// Creates an invitation and e-mails its link to the subject's address on record;
    /// <paramref name="activationPage"/> is the portal page the link opens (the token is appended).
    /// <paramref name="identityEvidence"/> is the document an officer checked at the desk, if one did.
    /// </summary>
    public async Task<InvitationResult> InviteAsync(
        string subjectId, string requestedBy, string? identityEvidence, string activationPage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(activationPage);
        var result = await CreateAsync(subjectId, requestedBy, identityEvidence, cancellationToken);
        if (result.Invitation is not { } invitation)
        {
            return result;
        }

        var link = $"{activationPage}?token={Uri.EscapeDataString(invitation.Token)}";
        var queued = await mail.SendAsync(
            InvitationMail.Compose(invitation.Address, invitation.Language, link, invitation.ExpiresAt, mailOptions.Value.Smtp.FromName, subjectId),
            cancellationToken);
        return queued.Outcome switch
        {
            VaultOutcome.Ok => result,
            VaultOutcome.Gone => new InvitationResult(InvitationOutcome.SubjectErased, null),
            VaultOutcome.NotFound => new InvitationResult(InvitationOutcome.SubjectNotFound, null),
            _ => new InvitationResult(InvitationOutcome.NoEmailOnRecord, null),
        };
    }

    /// <summary>
    /// Creates an invitation bound to the subject's e-mail address on record without sending it: for
    /// <see cref="InviteAsync"/>, and for the Development demo customer, whose account is made at once.
    /// </summary>
    public async Task<InvitationResult> CreateAsync(string subjectId, string requestedBy, string? identityEvidence, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return new InvitationResult(InvitationOutcome.SubjectNotFound, null);
        }

        // Read (and decrypted) before the write transaction; inside it, the digest on record is checked
        // again, so an address changed in between is never the one the invitation is bound to.
        var address = await AddressOnRecordAsync(subjectId, cancellationToken);
        var language = (await subjects.ReadFieldAsync(subjectId, LanguageField, cancellationToken))?.GetString();
        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await SubjectStatusAsync(subjectId, cancellationToken) switch
        {
            null => InvitationOutcome.SubjectNotFound,
            var status when status == SubjectService.StatusText(SubjectStatus.Erased) => InvitationOutcome.SubjectErased,
            _ when await db.Users.AnyAsync(u => u.SubjectId == subjectId, cancellationToken) => InvitationOutcome.AccountExists,
            _ when address is null || !await IsOnRecordAsync(subjectId, address.Value.Digest, cancellationToken) => InvitationOutcome.NoEmailOnRecord,
            _ => InvitationOutcome.Created,
        };
        if (outcome != InvitationOutcome.Created)
        {
            return new InvitationResult(outcome, null);
        }

        var revoked = await db.Invitations
            .Where(i => i.SubjectId == subjectId && i.RedeemedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, (DateTimeOffset?)now), cancellationToken);
        var token = LinkToken.New();
        var (value, digest) = address!.Value;
        var record = new InvitationRecord
        {
            Id = RecordId.New(time),
            SubjectId = subjectId,
            TokenHash = token.Hash(),
            CreatedBy = requestedBy,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
            EmailDigest = digest,
            RecipientMask = MailAddressMask.Mask(value),
            IdentityEvidence = identityEvidence,
        };
        db.Invitations.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.InvitationCreated(logger, record.Id, subjectId, requestedBy, record.ExpiresAt, revoked);
        return new InvitationResult(
            InvitationOutcome.Created,
            new CreatedInvitation(record.Id, subjectId, token.Value, record.ExpiresAt, value, record.RecipientMask, language));
    }

    /// <summary>
    /// For the officer's desk: whether <paramref name="address"/> (which the customer proved is theirs)
    /// is the subject's e-mail address on record, compared through the blind index.
    /// </summary>
    public async Task<AddressOnRecord> CompareAddressAsync(string subjectId, string address, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(address);
        var status = SubjectId.IsWellFormed(subjectId) ? await SubjectStatusAsync(subjectId, cancellationToken) : null;
        if (status is null)
        {
            return AddressOnRecord.SubjectNotFound;
        }

        if (status == SubjectService.StatusText(SubjectStatus.Erased))
        {
            return AddressOnRecord.SubjectErased;
        }

        if (!catalogue.Fields.TryGetValue(EmailField, out var field) || subjects.LookupDigest(field, address.Trim()) is not { } digest)
        {
            return AddressOnRecord.InvalidAddress;
        }

        return await subjects.IndexedDigestAsync(subjectId, EmailField, cancellationToken) switch
        {
            null => AddressOnRecord.None,
            var onRecord when CryptographicOperations.FixedTimeEquals(onRecord, digest) => AddressOnRecord.Same,
            _ => AddressOnRecord.Different,
        };
    }

    public async Task<PendingActivation?> FindAsync(string? token, CancellationToken cancellationToken)
    {
        if (LinkToken.Parse(token) is not { } parsed
            || await FindUsableAsync(parsed.Hash(), asTracking: false, cancellationToken) is not { EmailDigest: { } digest } invitation
            || !await IsOnRecordAsync(invitation.SubjectId, digest, cancellationToken))
        {
            return null;
        }

        return new PendingActivation(invitation.RecipientMask ?? string.Empty, invitation.ExpiresAt);
    }

    public async Task<ActivationResult> ActivateAsync(string? token, string password, CancellationToken cancellationToken)
    {
        if (LinkToken.Parse(token) is not { } parsed)
        {
            return ActivationResult.InvalidInvitation();
        }

        // One write transaction (SQLite BEGIN IMMEDIATE) around check and use: two tabs posting the same
        // link cannot both create an account, and neither an erasure nor a change of address can slip in between.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await FindUsableAsync(parsed.Hash(), asTracking: true, cancellationToken);
        if (invitation is not { EmailDigest: { } digest }
            || await SubjectStatusAsync(invitation.SubjectId, cancellationToken) is not { } status
            || status == SubjectService.StatusText(SubjectStatus.Erased)
            || await db.Users.AnyAsync(u => u.SubjectId == invitation.SubjectId, cancellationToken)
            || !await IsOnRecordAsync(invitation.SubjectId, digest, cancellationToken)
            || await AddressOnRecordAsync(invitation.SubjectId, cancellationToken) is not { } address
            || !CryptographicOperations.FixedTimeEquals(address.Digest, digest))
        {
            Log.ActivationRefused(logger, invitation?.Id);
            return ActivationResult.InvalidInvitation();
        }

        var now = time.GetUtcNow();

        // The link reached this address, so it is confirmed.
        var account = new CustomerAccount
        {
            UserName = address.Value,
            Email = address.Value,
            EmailConfirmed = true,
            SubjectId = invitation.SubjectId,
            CreatedAt = now,
        };
        var created = await users.CreateAsync(account, password);
        if (!created.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return ActivationResult.Rejected(Describe(created));
        }

        invitation.RedeemedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.InvitationRedeemed(logger, invitation.Id, invitation.SubjectId, account.Id);
        return ActivationResult.Activated(account);
    }

    /// <summary>The subject's current e-mail address, decrypted, with its blind-index digest; null when none is on record.</summary>
    private async Task<(string Value, byte[] Digest)?> AddressOnRecordAsync(string subjectId, CancellationToken cancellationToken)
    {
        if (!catalogue.Fields.TryGetValue(EmailField, out var field)
            || await subjects.ReadFieldAsync(subjectId, EmailField, cancellationToken) is not { } value
            || value.GetString() is not { Length: > 0 } address
            || subjects.LookupDigest(field, address) is not { } digest)
        {
            return null;
        }

        return (address, digest);
    }

    /// <summary>Whether <paramref name="digest"/> is the blind-index digest of the subject's e-mail on record, read on this context's connection (inside the caller's transaction).</summary>
    private async Task<bool> IsOnRecordAsync(string subjectId, byte[] digest, CancellationToken cancellationToken)
    {
        var onRecord = await db.Database
            .SqlQuery<byte[]>($"SELECT digest AS \"Value\" FROM blind_index WHERE subject_id = {subjectId} AND field = {EmailField}")
            .SingleOrDefaultAsync(cancellationToken);
        return onRecord is not null && CryptographicOperations.FixedTimeEquals(onRecord, digest);
    }

    private async Task<InvitationRecord?> FindUsableAsync(byte[] tokenHash, bool asTracking, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var query = asTracking ? db.Invitations.AsTracking() : db.Invitations.AsNoTracking();
        var invitation = await query.SingleOrDefaultAsync(i => i.TokenHash == tokenHash, cancellationToken);
        return invitation is { RedeemedAt: null, RevokedAt: null } && now < invitation.ExpiresAt ? invitation : null;
    }

    /// <summary>
    /// The subject's status read on this context's connection, so the check runs inside the caller's
    /// transaction; the subjects table belongs to the vault's own context.
    /// </summary>
    private Task<string?> SubjectStatusAsync(string subjectId, CancellationToken cancellationToken) =>
        db.Database.SqlQuery<string>($"SELECT status AS \"Value\" FROM subjects WHERE id = {subjectId}")
            .SingleOrDefaultAsync(cancellationToken);

    /// <summary>
    /// Identity reports a taken address twice (as user name and as e-mail); the customer sees it once.
    /// The user name is the address on record, so it cannot be invalid.
    /// </summary>
    private static List<string> Describe(IdentityResult result) =>
        result.Errors
            .Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName) && e.Code != nameof(IdentityErrorDescriber.InvalidUserName))
            .Select(e => e.Description)
            .ToList();
}
