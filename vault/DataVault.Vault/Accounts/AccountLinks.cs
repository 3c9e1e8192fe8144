using DataVault.Vault.Mail;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

/// <summary>
/// A row of a one-time link the vault e-mailed about an account (<c>invitations</c>, <c>password_resets</c>):
/// what every such link has, whatever it is for. Only the hash of its token is stored.
/// </summary>
internal abstract class AccountLinkRecord
{
    public required string Id { get; init; }

    /// <summary>SHA-256 of the link's token (<see cref="LinkToken"/>); the token itself is never stored.</summary>
    public required byte[] TokenHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>Set when a newer link of the same kind for the same holder replaced this unused one.</summary>
    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>Whether the link has done what it was for (the invitation redeemed, the password reset).</summary>
    public abstract bool Used { get; }

    /// <summary>Records that the link did what it was for at <paramref name="at"/>; it works no more.</summary>
    public abstract void MarkUsed(DateTimeOffset at);

    /// <summary>A link works once, until it expires, unless a newer one replaced it.</summary>
    public bool UsableAt(DateTimeOffset now) => !Used && RevokedAt is null && now < ExpiresAt;
}

/// <summary>A link just minted: the id of its row, the token for the message, and its lifetime.</summary>
internal sealed record MintedLink(string Id, LinkToken Token, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>
/// The one-time links the vault e-mails about an account: an invitation to set one up, a "forgot password" link.
/// Each is minted here (a 256-bit <see cref="LinkToken"/>, an id and an expiry), found here by the hash of the
/// token when it is opened, and sent here through the <see cref="IMailChannel"/> to the address on record, so
/// whoever asked for it (a client, an officer, a visitor of the sign-in page) never sees it. What a link is for,
/// whom it is bound to and what using it does stay with its service.
/// </summary>
internal sealed class AccountLinks(IMailChannel mail, IOptions<MailOptions> mailOptions, IOptions<AccountOptions> accounts, TimeProvider time)
{
    /// <summary>A new invitation link, which works for <see cref="AccountOptions.InvitationLifetime"/>.</summary>
    public MintedLink MintInvitation() => Mint(accounts.Value.InvitationLifetime);

    /// <summary>A new "forgot password" link, which works for <see cref="AccountOptions.PasswordResetLifetime"/>.</summary>
    public MintedLink MintPasswordReset() => Mint(accounts.Value.PasswordResetLifetime);

    /// <summary>Marks <paramref name="link"/> used now.</summary>
    public void Use(AccountLinkRecord link)
    {
        ArgumentNullException.ThrowIfNull(link);
        link.MarkUsed(time.GetUtcNow());
    }

    private MintedLink Mint(TimeSpan lifetime)
    {
        var now = time.GetUtcNow();
        return new MintedLink(RecordId.New(time), LinkToken.New(), now, now + lifetime);
    }

    /// <summary>The row of <paramref name="token"/> among <paramref name="links"/> when the link works now; otherwise null.</summary>
    public async Task<TRecord?> FindUsableAsync<TRecord>(IQueryable<TRecord> links, LinkToken token, CancellationToken cancellationToken)
        where TRecord : AccountLinkRecord
    {
        ArgumentNullException.ThrowIfNull(token);
        var hash = token.Hash();
        var link = await links.SingleOrDefaultAsync(l => l.TokenHash == hash, cancellationToken);
        return link is not null && link.UsableAt(time.GetUtcNow()) ? link : null;
    }

    /// <summary>
    /// Queues the message that <paramref name="compose"/> writes around the link (<paramref name="page"/> with the
    /// token appended) and the organisation's name; <see cref="VaultOutcome.Ok"/> when it was queued.
    /// </summary>
    public async Task<VaultOutcome> SendAsync(string page, string token, Func<string, string, OutgoingMail> compose, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(compose);
        var link = $"{page}?token={Uri.EscapeDataString(token)}";
        return (await mail.SendAsync(compose(link, mailOptions.Value.Smtp.FromName), cancellationToken)).Outcome;
    }
}
