using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

/// <summary>Why an invitation was or was not created.</summary>
internal enum InvitationOutcome
{
    Created,
    SubjectNotFound,
    SubjectErased,
    AccountExists,
}

/// <summary>A new invitation; the token is shown to the requesting client once and never stored.</summary>
internal sealed record CreatedInvitation(string Id, string SubjectId, string Token, DateTimeOffset ExpiresAt)
{
    public override string ToString() => $"CreatedInvitation {{ Id = {Id}, SubjectId = {SubjectId}, Token = ***, ExpiresAt = {ExpiresAt:O} }}";
}

internal sealed record InvitationResult(InvitationOutcome Outcome, CreatedInvitation? Invitation);

/// <summary>
/// Invitations to the portal: a client asks for one for its customer, the customer opens the link,
/// sets a password, and gets an account linked to their subject. Links are single use, expire, and a
/// new one revokes the subject's earlier unused ones, so only the latest link handed out works.
/// </summary>
internal sealed class InvitationService(
    AccountsDbContext db,
    UserManager<CustomerAccount> users,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<InvitationService> logger) : IAccountActivation
{
    public async Task<InvitationResult> CreateAsync(string subjectId, string requestedBy, CancellationToken cancellationToken)
    {
        if (!SubjectId.IsWellFormed(subjectId))
        {
            return new InvitationResult(InvitationOutcome.SubjectNotFound, null);
        }

        var now = time.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var outcome = await SubjectStatusAsync(subjectId, cancellationToken) switch
        {
            null => InvitationOutcome.SubjectNotFound,
            var status when status == SubjectService.StatusText(SubjectStatus.Erased) => InvitationOutcome.SubjectErased,
            _ when await db.Users.AnyAsync(u => u.SubjectId == subjectId, cancellationToken) => InvitationOutcome.AccountExists,
            _ => InvitationOutcome.Created,
        };
        if (outcome != InvitationOutcome.Created)
        {
            return new InvitationResult(outcome, null);
        }

        var revoked = await db.Invitations
            .Where(i => i.SubjectId == subjectId && i.RedeemedAt == null && i.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.RevokedAt, (DateTimeOffset?)now), cancellationToken);
        var token = InvitationToken.New();
        var record = new InvitationRecord
        {
            Id = RecordId.New(time),
            SubjectId = subjectId,
            TokenHash = token.Hash(),
            CreatedBy = requestedBy,
            CreatedAt = now,
            ExpiresAt = now + options.Value.InvitationLifetime,
        };
        db.Invitations.Add(record);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.InvitationCreated(logger, record.Id, subjectId, requestedBy, record.ExpiresAt, revoked);
        return new InvitationResult(InvitationOutcome.Created, new CreatedInvitation(record.Id, subjectId, token.Value, record.ExpiresAt));
    }

    public async Task<bool> CanActivateAsync(string? token, CancellationToken cancellationToken) =>
        InvitationToken.Parse(token) is { } parsed
        && await FindUsableAsync(parsed.Hash(), asTracking: false, cancellationToken) is not null;

    public async Task<ActivationResult> ActivateAsync(string? token, string email, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(email);
        if (InvitationToken.Parse(token) is not { } parsed)
        {
            return ActivationResult.InvalidInvitation();
        }

        // One write transaction (SQLite BEGIN IMMEDIATE) around check and use: two tabs posting the same
        // link cannot both create an account, and an erasure cannot slip in between.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var invitation = await FindUsableAsync(parsed.Hash(), asTracking: true, cancellationToken);
        if (invitation is null
            || await SubjectStatusAsync(invitation.SubjectId, cancellationToken) is not { } status
            || status == SubjectService.StatusText(SubjectStatus.Erased)
            || await db.Users.AnyAsync(u => u.SubjectId == invitation.SubjectId, cancellationToken))
        {
            Log.ActivationRefused(logger, invitation?.Id);
            return ActivationResult.InvalidInvitation();
        }

        var now = time.GetUtcNow();
        var address = email.Trim();
        var account = new CustomerAccount { UserName = address, Email = address, SubjectId = invitation.SubjectId, CreatedAt = now };
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

    /// <summary>Identity reports a taken address twice (as user name and as e-mail); the customer sees it once.</summary>
    private static List<string> Describe(IdentityResult result) =>
        result.Errors
            .Where(e => e.Code != nameof(IdentityErrorDescriber.DuplicateUserName) && e.Code != nameof(IdentityErrorDescriber.InvalidUserName))
            .Select(e => e.Description)
            .ToList();
}
