using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Storage;

/// <summary>
/// EF Core view of the schema created by <see cref="SchemaMigrator"/>. Instants are stored as
/// ISO 8601 UTC text so that ordering in SQL matches ordering in time.
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
            e.Property(s => s.Id).HasColumnName("id");
            e.Property(s => s.Status).HasColumnName("status");
            e.Property(s => s.CreatedAt).HasColumnName("created_at");
            e.Property(s => s.UpdatedAt).HasColumnName("updated_at");
            e.Property(s => s.ErasedAt).HasColumnName("erased_at");
        });
        modelBuilder.Entity<DataKeyRecord>(e =>
        {
            e.ToTable("data_keys");
            e.HasKey(k => new { k.SubjectId, k.KeyGroup });
            e.Property(k => k.SubjectId).HasColumnName("subject_id");
            e.Property(k => k.KeyGroup).HasColumnName("key_group");
            e.Property(k => k.WrappedKey).HasColumnName("wrapped_key");
            e.Property(k => k.CreatedAt).HasColumnName("created_at");
            e.Property(k => k.RetainUntil).HasColumnName("retain_until");
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(k => k.SubjectId);
        });
        modelBuilder.Entity<FieldValueRecord>(e =>
        {
            e.ToTable("field_values");
            e.HasKey(v => new { v.SubjectId, v.Field, v.Version });
            e.Property(v => v.SubjectId).HasColumnName("subject_id");
            e.Property(v => v.Field).HasColumnName("field");
            e.Property(v => v.Version).HasColumnName("version");
            e.Property(v => v.KeyGroup).HasColumnName("key_group");
            e.Property(v => v.Ciphertext).HasColumnName("ciphertext");
            e.Property(v => v.CreatedAt).HasColumnName("created_at");
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(v => v.SubjectId);
        });
        modelBuilder.Entity<BlindIndexRecord>(e =>
        {
            e.ToTable("blind_index");
            e.HasKey(b => new { b.SubjectId, b.Field });
            e.Property(b => b.SubjectId).HasColumnName("subject_id");
            e.Property(b => b.Field).HasColumnName("field");
            e.Property(b => b.Digest).HasColumnName("digest");
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(b => b.SubjectId);
        });
        modelBuilder.Entity<VaultSecretRecord>(e =>
        {
            e.ToTable("vault_secrets");
            e.HasKey(s => s.Name);
            e.Property(s => s.Name).HasColumnName("name");
            e.Property(s => s.WrappedValue).HasColumnName("wrapped_value");
            e.Property(s => s.CreatedAt).HasColumnName("created_at");
        });
        modelBuilder.Entity<CiphertextPurgeRecord>(e =>
        {
            e.ToTable("ciphertext_purges");
            e.HasKey(p => new { p.SubjectId, p.KeyGroup });
            e.Property(p => p.SubjectId).HasColumnName("subject_id");
            e.Property(p => p.KeyGroup).HasColumnName("key_group");
            e.Property(p => p.QueuedAt).HasColumnName("queued_at");
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(p => p.SubjectId);
        });
        modelBuilder.Entity<ErasureReceiptRecord>(e =>
        {
            e.ToTable("erasure_receipts");
            e.HasKey(r => r.Id);
            e.Property(r => r.Id).HasColumnName("id");
            e.Property(r => r.SubjectId).HasColumnName("subject_id");
            e.Property(r => r.ErasedAt).HasColumnName("erased_at");
            e.Property(r => r.RequestedBy).HasColumnName("requested_by");
            e.Property(r => r.ShreddedKeyGroups).HasColumnName("shredded_key_groups");
            e.Property(r => r.RetainedKeyGroups).HasColumnName("retained_key_groups");
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(r => r.SubjectId);
        });
        modelBuilder.Entity<SigningKeyRecord>(e =>
        {
            e.ToTable("signing_keys");
            e.HasKey(k => k.Id);
            e.Property(k => k.Id).HasColumnName("id");
            e.Property(k => k.Algorithm).HasColumnName("algorithm");
            e.Property(k => k.ProtectedPrivateKey).HasColumnName("protected_private_key");
            e.Property(k => k.PublicJwk).HasColumnName("public_jwk");
            e.Property(k => k.CreatedAt).HasColumnName("created_at");
            e.Property(k => k.NotBefore).HasColumnName("not_before");
            e.Property(k => k.RetireAt).HasColumnName("retire_at");
            e.Property(k => k.ExpiresAt).HasColumnName("expires_at");
        });
        modelBuilder.Entity<ConsentEventRecord>(e =>
        {
            e.ToTable("consent_events");
            e.HasKey(c => c.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(c => c.SubjectId);
            e.Property(c => c.Id).HasColumnName("id");
            e.Property(c => c.SubjectId).HasColumnName("subject_id");
            e.Property(c => c.PurposeId).HasColumnName("purpose_id");
            e.Property(c => c.PurposeVersion).HasColumnName("purpose_version");
            e.Property(c => c.State).HasColumnName("state");
            e.Property(c => c.OccurredAt).HasColumnName("occurred_at");
            e.Property(c => c.RecordedAt).HasColumnName("recorded_at");
            e.Property(c => c.ExpiresAt).HasColumnName("expires_at");
            e.Property(c => c.CollectionMethod).HasColumnName("collection_method");
            e.Property(c => c.ActorType).HasColumnName("actor_type");
            e.Property(c => c.ActorId).HasColumnName("actor_id");
            e.Property(c => c.NoticeLanguage).HasColumnName("notice_language");
            e.Property(c => c.Evidence).HasColumnName("evidence");
        });
        modelBuilder.Entity<ObjectionEventRecord>(e =>
        {
            e.ToTable("objection_events");
            e.HasKey(o => o.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(o => o.SubjectId);
            e.Property(o => o.Id).HasColumnName("id");
            e.Property(o => o.SubjectId).HasColumnName("subject_id");
            e.Property(o => o.PurposeId).HasColumnName("purpose_id");
            e.Property(o => o.Action).HasColumnName("action");
            e.Property(o => o.Source).HasColumnName("source");
            e.Property(o => o.OccurredAt).HasColumnName("occurred_at");
            e.Property(o => o.ActorType).HasColumnName("actor_type");
            e.Property(o => o.ActorId).HasColumnName("actor_id");
        });
        modelBuilder.Entity<RestrictionEventRecord>(e =>
        {
            e.ToTable("restriction_events");
            e.HasKey(r => r.Id);
            e.HasOne<SubjectRecord>().WithMany().HasForeignKey(r => r.SubjectId);
            e.Property(r => r.Id).HasColumnName("id");
            e.Property(r => r.SubjectId).HasColumnName("subject_id");
            e.Property(r => r.Action).HasColumnName("action");
            e.Property(r => r.Reason).HasColumnName("reason");
            e.Property(r => r.OccurredAt).HasColumnName("occurred_at");
            e.Property(r => r.ActorType).HasColumnName("actor_type");
            e.Property(r => r.ActorId).HasColumnName("actor_id");
        });
        modelBuilder.Entity<PurposeVersionRecord>(e =>
        {
            e.ToTable("purpose_versions");
            e.HasKey(v => new { v.PurposeId, v.Version });
            e.Property(v => v.PurposeId).HasColumnName("purpose_id");
            e.Property(v => v.Version).HasColumnName("version");
            e.Property(v => v.EffectiveFrom).HasColumnName("effective_from");
        });
    }
}
