using DataVault.Vault.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Accounts;

/// <summary>Row of <c>invitations</c>: a one-time activation link for a subject's portal account, stored only as a hash.</summary>
internal sealed class InvitationRecord
{
    public required string Id { get; init; }

    public required string SubjectId { get; init; }

    /// <summary>SHA-256 of the token's 32 random bytes; the token itself is never stored.</summary>
    public required byte[] TokenHash { get; init; }

    /// <summary>The client that asked for the invitation, or the officer's account id for one made at the desk.</summary>
    public required string CreatedBy { get; init; }

    /// <summary>Blind-index digest of the e-mail address on record that the link was sent to; the invitation works only while it is still the one on record.</summary>
    public byte[]? EmailDigest { get; init; }

    /// <summary>Where the link was sent, masked (<c>a***@example.com</c>), for the activation page.</summary>
    public string? RecipientMask { get; init; }

    /// <summary>For an invitation made at the officer's desk: the kind of identity document the officer checked (<see cref="IdentityEvidence"/>).</summary>
    public string? IdentityEvidence { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RedeemedAt { get; set; }

    /// <summary>Set when a newer invitation for the same subject replaced this unused one.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>Row of <c>password_resets</c>: a one-time "forgot password" link for an account, stored only as a hash.</summary>
internal sealed class PasswordResetRecord
{
    public required string Id { get; init; }

    public required string AccountId { get; init; }

    /// <summary>SHA-256 of the link's token (<see cref="LinkToken"/>); the token itself is never stored.</summary>
    public required byte[] TokenHash { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? UsedAt { get; set; }

    /// <summary>Set when a newer link for the same account replaced this unused one.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// EF Core view of the Identity tables, <c>invitations</c> (migration 0005) and <c>password_resets</c> (0012). It is a
/// separate context from <c>VaultDbContext</c> on the same database file and connection settings,
/// so Identity's model stays out of the vault's and each can change without the other.
/// </summary>
internal sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<CustomerAccount, IdentityRole, string>(options)
{
    public DbSet<InvitationRecord> Invitations => Set<InvitationRecord>();

    public DbSet<PasswordResetRecord> PasswordResets => Set<PasswordResetRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Same text form as the vault's tables, so SQL ordering matches time ordering.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<StoredInstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<CustomerAccount>(e =>
        {
            e.HasIndex(a => a.SubjectId).IsUnique().HasFilter("\"SubjectId\" IS NOT NULL");
        });
        builder.Entity<InvitationRecord>(e =>
        {
            e.ToTable("invitations");
            e.HasKey(i => i.Id);
            SnakeCaseColumns.Apply(e.Metadata);
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => i.SubjectId).HasDatabaseName("ix_invitations_subject");
        });
        builder.Entity<PasswordResetRecord>(e =>
        {
            e.ToTable("password_resets");
            e.HasKey(r => r.Id);
            SnakeCaseColumns.Apply(e.Metadata);
            e.HasIndex(r => r.TokenHash).IsUnique().HasDatabaseName("ix_password_resets_token");
            e.HasIndex(r => r.AccountId).HasDatabaseName("ix_password_resets_account");
        });
    }
}
