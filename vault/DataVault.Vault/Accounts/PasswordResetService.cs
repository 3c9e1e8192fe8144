using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

/// <summary>What became of a "forgot password" request.</summary>
public enum PasswordResetRequestOutcome
{
    /// <summary>A link was e-mailed to the account's address on record.</summary>
    Sent,

    /// <summary>No account signs in with the address typed.</summary>
    NoAccount,

    /// <summary>The account is a disabled staff account: it gets no link.</summary>
    Disabled,

    /// <summary>The account's holder has no e-mail address on record to send a link to.</summary>
    NoAddress,
}

/// <summary>The result of <see cref="PasswordResetService.RequestAsync"/>: the account concerned, when there is one.</summary>
public sealed record PasswordResetRequest(PasswordResetRequestOutcome Outcome, CustomerAccount? Account);

/// <summary>A "forgot password" link that works: whose account it resets, and until when.</summary>
public sealed record PendingPasswordReset(string AccountId, DateTimeOffset ExpiresAt);

/// <summary>How a password reset ended.</summary>
public enum PasswordResetOutcome
{
    /// <summary>The password is changed and the link used up.</summary>
    Reset,

    /// <summary>The link is unknown, used, revoked or expired, or its account has gone; nothing changed.</summary>
    InvalidLink,

    /// <summary>The new password was refused (see <see cref="PasswordResetResult.Errors"/>); the link still works.</summary>
    Rejected,
}

/// <summary>The result of <see cref="PasswordResetService.ResetAsync"/>.</summary>
public sealed record PasswordResetResult(PasswordResetOutcome Outcome, CustomerAccount? Account, IReadOnlyList<string> Errors);

/// <summary>
/// "Forgot password": a one-time link e-mailed to the account's address on record (<see cref="AccountNotices"/>),
/// never shown to whoever asked for it. Only the SHA-256 of the link's 256-bit token is stored; the link works
/// once, until <see cref="AccountOptions.PasswordResetLifetime"/>, and a newer one revokes the earlier unused
/// ones. Setting the new password changes the account's security stamp, so every other open session of the
/// account ends at its next validation. Whether an account exists is for the caller to keep to itself: the
/// portal answers every request alike.
/// </summary>
public sealed class PasswordResetService
{
    private readonly AccountsDbContext db;
    private readonly UserManager<CustomerAccount> users;
    private readonly AccountNotices notices;
    private readonly IMailChannel mail;
    private readonly IOptions<AccountOptions> options;
    private readonly IOptions<MailOptions> mailOptions;
    private readonly TimeProvider time;
    private readonly ILogger<PasswordResetService> logger;

    internal PasswordResetService(
        AccountsDbContext db,
        UserManager<CustomerAccount> users,
        AccountNotices notices,
        IMailChannel mail,
        IOptions<AccountOptions> options,
        IOptions<MailOptions> mailOptions,
        TimeProvider time,
        ILogger<PasswordResetService> logger)
    {
        this.db = db;
        this.users = users;
        this.notices = notices;
        this.mail = mail;
        this.options = options;
        this.mailOptions = mailOptions;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>
    /// Sends a reset link for the account that signs in with <paramref name="signInAddress"/>, in
    /// <paramref name="language"/>; <paramref name="resetPage"/> is the portal page the link opens (the token is appended).
    /// </summary>
    public async Task<PasswordResetRequest> RequestAsync(string signInAddress, string? language, string resetPage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signInAddress);
        ArgumentNullException.ThrowIfNull(resetPage);
        var account = await users.FindByNameAsync(signInAddress.Trim());
        if (account is null)
        {
            return new PasswordResetRequest(PasswordResetRequestOutcome.NoAccount, null);
        }

        if (account.LockoutEnd == DateTimeOffset.MaxValue)
        {
            return new PasswordResetRequest(PasswordResetRequestOutcome.Disabled, account);
        }

        if (await notices.AddressAsync(account, cancellationToken) is not { } address)
        {
            return new PasswordResetRequest(PasswordResetRequestOutcome.NoAddress, account);
        }

        var now = time.GetUtcNow();
        var token = LinkToken.New();
        var record = new PasswordResetRecord
        {
            Id = RecordId.New(time),
            AccountId = account.Id,
            TokenHash = token.Hash(),
            CreatedAt = now,
            ExpiresAt = now + options.Value.PasswordResetLifetime,
        };
        await using (var transaction = await db.Database.BeginTransactionAsync(cancellationToken))
        {
            await RevokeUnusedAsync(account.Id, now, cancellationToken);
            db.PasswordResets.Add(record);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }

        var link = $"{resetPage}?token={Uri.EscapeDataString(token.Value)}";
        var message = AccountMail.PasswordReset(address, language, link, record.ExpiresAt, mailOptions.Value.Smtp.FromName, account.SubjectId);
        if ((await mail.SendAsync(message, cancellationToken)).Outcome != VaultOutcome.Ok)
        {
            // The subject was erased in between, or the address on record cannot be written to: the link must not outlive the attempt.
            await RevokeUnusedAsync(account.Id, now, cancellationToken);
            return new PasswordResetRequest(PasswordResetRequestOutcome.NoAddress, account);
        }

        Log.PasswordResetSent(logger, record.Id, account.Id, record.ExpiresAt);
        return new PasswordResetRequest(PasswordResetRequestOutcome.Sent, account);
    }

    /// <summary>The link of <paramref name="token"/> when it works now; otherwise null.</summary>
    public async Task<PendingPasswordReset?> FindAsync(string? token, CancellationToken cancellationToken) =>
        LinkToken.Parse(token) is { } parsed && await FindUsableAsync(parsed.Hash(), asTracking: false, cancellationToken) is { } reset
            ? new PendingPasswordReset(reset.AccountId, reset.ExpiresAt)
            : null;

    /// <summary>Sets <paramref name="password"/> on the account of the link and uses the link up; both or neither happen.</summary>
    public async Task<PasswordResetResult> ResetAsync(string? token, string password, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (LinkToken.Parse(token) is not { } parsed)
        {
            return new PasswordResetResult(PasswordResetOutcome.InvalidLink, null, []);
        }

        // One write transaction (SQLite BEGIN IMMEDIATE) around check and use: two tabs posting the same link cannot both use it.
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var reset = await FindUsableAsync(parsed.Hash(), asTracking: true, cancellationToken);
        var account = reset is null ? null : await users.FindByIdAsync(reset.AccountId);
        if (reset is null || account is null || account.LockoutEnd == DateTimeOffset.MaxValue)
        {
            Log.PasswordResetRefused(logger, reset?.Id);
            return new PasswordResetResult(PasswordResetOutcome.InvalidLink, null, []);
        }

        // The link proved the holder reads the address on record; Identity's own reset token is made and
        // spent at once, so that its password rules, hashing and new security stamp apply unchanged.
        var changed = await users.ResetPasswordAsync(account, await users.GeneratePasswordResetTokenAsync(account), password);
        if (!changed.Succeeded)
        {
            await transaction.RollbackAsync(cancellationToken);
            return new PasswordResetResult(PasswordResetOutcome.Rejected, null, changed.Errors.Select(e => e.Description).ToList());
        }

        // A temporary lockout from wrong guesses ends: whoever holds the mailbox has proved themselves.
        if (account.LockoutEnd is not null)
        {
            await users.SetLockoutEndDateAsync(account, null);
        }

        await users.ResetAccessFailedCountAsync(account);
        reset.UsedAt = time.GetUtcNow();
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        Log.PasswordReset(logger, reset.Id, account.Id);
        return new PasswordResetResult(PasswordResetOutcome.Reset, account, []);
    }

    private Task<int> RevokeUnusedAsync(string accountId, DateTimeOffset now, CancellationToken cancellationToken) =>
        db.PasswordResets
            .Where(r => r.AccountId == accountId && r.UsedAt == null && r.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.RevokedAt, (DateTimeOffset?)now), cancellationToken);

    private async Task<PasswordResetRecord?> FindUsableAsync(byte[] tokenHash, bool asTracking, CancellationToken cancellationToken)
    {
        var query = asTracking ? db.PasswordResets.AsTracking() : db.PasswordResets.AsNoTracking();
        var reset = await query.SingleOrDefaultAsync(r => r.TokenHash == tokenHash, cancellationToken);
        return reset is { UsedAt: null, RevokedAt: null } && time.GetUtcNow() < reset.ExpiresAt ? reset : null;
    }
}
