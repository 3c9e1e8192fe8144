using DataVault.Vault.Clients;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Storage;

/// <summary>
/// EF Core view of the clients and the token service's tables (migration <c>openiddict</c>): the clients,
/// which are OpenIddict's applications, what the record of processing says about them as recipients, and
/// OpenIddict's authorizations, tokens and scopes. A separate context on the vault's file, like
/// <c>AccountsDbContext</c>, so OpenIddict's model stays out of the vault's.
/// </summary>
internal sealed class OAuthDbContext(DbContextOptions<OAuthDbContext> options) : DbContext(options)
{
    public DbSet<VaultClient> Clients => Set<VaultClient>();

    public DbSet<ClientRecipientRecord> ClientRecipients => Set<ClientRecipientRecord>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Our own instants in the vault's text form; OpenIddict's DateTime columns keep EF's SQLite default.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<StoredInstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict<VaultClient, VaultAuthorization, VaultScope, VaultToken, string>();
        var clients = modelBuilder.Entity<VaultClient>().ToTable("clients");
        var recipients = modelBuilder.Entity<ClientRecipientRecord>().ToTable("client_recipients");
        recipients.HasKey(r => r.ClientId);
        recipients.HasOne<VaultClient>().WithOne().HasForeignKey<ClientRecipientRecord>(r => r.ClientId);

        // What a client may do follows from its scopes, redirect URIs and type (VaultApplicationManager), never from a stored list.
        clients.Ignore(c => c.Permissions);

        // Our tables' columns are named by the vault's rule (OpenIddict's own tables keep OpenIddict's names);
        // EfModel_MatchesMigratedSchema holds the rule to the migrations.
        SnakeCaseColumns.Apply(clients.Metadata);
        SnakeCaseColumns.Apply(recipients.Metadata);

        // The column kept its name from before clients were OpenIddict's applications: it holds a PBKDF2 hash, never the secret.
        clients.Property(c => c.ClientSecret).HasColumnName("secret_hash");

        // OpenIddict looks clients up by client_id; EF Core cannot map two properties onto one column, so it is a generated copy of id.
        clients.Property(c => c.ClientId).HasComputedColumnSql("id", stored: false);
        clients.Property(c => c.DisplayName).IsRequired();
        clients.Property(c => c.ClientType).IsRequired();
        clients.Property(c => c.ConsentType).IsRequired();
    }
}
