using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Storage;

/// <summary>
/// EF Core view of the schema created by <see cref="SchemaMigrator"/>. Instants are stored as
/// <see cref="StoredInstant"/> text so that ordering in SQL matches ordering in time.
/// </summary>
internal sealed class VaultDbContext(DbContextOptions<VaultDbContext> options) : DbContext(options)
{
    public DbSet<SubjectRecord> Subjects => Set<SubjectRecord>();

    public DbSet<DataKeyRecord> DataKeys => Set<DataKeyRecord>();

    public DbSet<FieldValueRecord> FieldValues => Set<FieldValueRecord>();

    public DbSet<CiphertextPurgeRecord> CiphertextPurges => Set<CiphertextPurgeRecord>();

    public DbSet<BlindIndexRecord> BlindIndex => Set<BlindIndexRecord>();

    public DbSet<VaultSecretRecord> VaultSecrets => Set<VaultSecretRecord>();

    public DbSet<ErasureReceiptRecord> ErasureReceipts => Set<ErasureReceiptRecord>();

    public DbSet<SigningKeyRecord> SigningKeys => Set<SigningKeyRecord>();

    public DbSet<ConsentEventRecord> ConsentEvents => Set<ConsentEventRecord>();

    public DbSet<ObjectionEventRecord> ObjectionEvents => Set<ObjectionEventRecord>();

    public DbSet<RestrictionEventRecord> RestrictionEvents => Set<RestrictionEventRecord>();

    public DbSet<PurposeVersionRecord> PurposeVersions => Set<PurposeVersionRecord>();

    public DbSet<Mail.MailOutboxRecord> MailOutbox => Set<Mail.MailOutboxRecord>();

    public DbSet<Requests.RequestRecord> Requests => Set<Requests.RequestRecord>();

    public DbSet<Requests.RequestEventRecord> RequestEvents => Set<Requests.RequestEventRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<StoredInstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<SubjectRecord>(e =>
        {
            e.ToTable("subjects");
            e.HasKey(s => s.Id);
        });
        modelBuilder.Entity<DataKeyRecord>(e =>
        {
            e.ToTable("data_keys");
            e.HasKey(k => new { k.SubjectId, k.KeyGroup });
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(k => k.SubjectId);
        });
        modelBuilder.Entity<FieldValueRecord>(e =>
        {
            e.ToTable("field_values");
            e.HasKey(v => new { v.SubjectId, v.Field, v.Version });
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(v => v.SubjectId);
        });
        modelBuilder.Entity<BlindIndexRecord>(e =>
        {
            e.ToTable("blind_index");
            e.HasKey(b => new { b.SubjectId, b.Field });
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(b => b.SubjectId);
        });
        modelBuilder.Entity<VaultSecretRecord>(e =>
        {
            e.ToTable("vault_secrets");
            e.HasKey(s => s.Name);
        });
        modelBuilder.Entity<CiphertextPurgeRecord>(e =>
        {
            e.ToTable("ciphertext_purges");
            e.HasKey(p => new { p.SubjectId, p.KeyGroup });
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(p => p.SubjectId);
        });
        modelBuilder.Entity<Mail.MailOutboxRecord>(e =>
        {
            e.ToTable("mail_outbox");
            e.HasKey(m => m.Id);
        });
        modelBuilder.Entity<ErasureReceiptRecord>(e =>
        {
            e.ToTable("erasure_receipts");
            e.HasKey(r => r.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(r => r.SubjectId);
        });
        modelBuilder.Entity<SigningKeyRecord>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(k => k.Id);
        });
        modelBuilder.Entity<ConsentEventRecord>(e =>
        {
            e.ToTable("consent_events");
            e.HasKey(c => c.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(c => c.SubjectId);
        });
        modelBuilder.Entity<ObjectionEventRecord>(e =>
        {
            e.ToTable("objection_events");
            e.HasKey(o => o.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(o => o.SubjectId);
        });
        modelBuilder.Entity<RestrictionEventRecord>(e =>
        {
            e.ToTable("restriction_events");
            e.HasKey(r => r.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(r => r.SubjectId);
        });
        modelBuilder.Entity<PurposeVersionRecord>(e =>
        {
            e.ToTable("purpose_versions");
            e.HasKey(v => new { v.PurposeId, v.Version });
        });
        modelBuilder.Entity<Requests.RequestRecord>(e =>
        {
            e.ToTable("requests");
            e.HasKey(r => r.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(r => r.SubjectId);
        });
        modelBuilder.Entity<Requests.RequestEventRecord>(e =>
        {
            e.ToTable("request_events");
            e.HasKey(r => r.Id);
            e.HasOne<Requests.RequestRecord>().WithMany().HasForeignKey(r => r.RequestId);
        });

        // Columns are named by rule rather than one by one; EfModel_MatchesMigratedSchema holds the rule to the migrations.
        foreach (var entity in modelBuilder.Model.GetEntityTypes())
        {
            SnakeCaseColumns.Apply(entity);
        }
    }
}
