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

    /// <summary>The client that asked for the invitation.</summary>
    public required string CreatedBy { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? RedeemedAt { get; set; }

    /// <summary>Set when a newer invitation for the same subject replaced this unused one.</summary>
    public DateTimeOffset? RevokedAt { get; set; }
}

/// <summary>
/// EF Core view of the Identity tables and <c>invitations</c> created by migration 0005. It is a
/// separate context from <c>VaultDbContext</c> on the same database file and connection settings,
/// so Identity's model stays out of the vault's and each can change without the other.
/// </summary>
internal sealed class AccountsDbContext(DbContextOptions<AccountsDbContext> options)
    : IdentityDbContext<CustomerAccount, IdentityRole, string>(options)
{
    public DbSet<InvitationRecord> Invitations => Set<InvitationRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Same text form as the vault's tables: ISO 8601 UTC, so SQL ordering matches time ordering.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<Storage.StoredInstantConverter>();
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
            e.Property(i => i.Id).HasColumnName("id");
            e.Property(i => i.SubjectId).HasColumnName("subject_id");
            e.Property(i => i.TokenHash).HasColumnName("token_hash");
            e.Property(i => i.CreatedBy).HasColumnName("created_by");
            e.Property(i => i.CreatedAt).HasColumnName("created_at");
            e.Property(i => i.ExpiresAt).HasColumnName("expires_at");
            e.Property(i => i.RedeemedAt).HasColumnName("redeemed_at");
            e.Property(i => i.RevokedAt).HasColumnName("revoked_at");
            e.HasIndex(i => i.TokenHash).IsUnique();
            e.HasIndex(i => i.SubjectId).HasDatabaseName("ix_invitations_subject");
        });
    }
}
