using DataVault.Vault.Clients;
using Microsoft.EntityFrameworkCore;

namespace DataVault.Vault.Storage;

/// <summary>
/// EF Core view of the token service's tables (migration <c>openiddict</c>): the clients, which are
/// OpenIddict's applications, and OpenIddict's authorizations, tokens and scopes. A separate context on
/// the vault's file, like <c>AccountsDbContext</c>, so OpenIddict's model stays out of the vault's.
/// </summary>
internal sealed class OAuthDbContext(DbContextOptions<OAuthDbContext> options) : DbContext(options)
{
    public DbSet<VaultClient> Clients => Set<VaultClient>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Our own instants in the vault's text form; OpenIddict's DateTime columns keep EF's SQLite default.
        configurationBuilder.Properties<DateTimeOffset>().HaveConversion<StoredInstantConverter>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.UseOpenIddict<VaultClient, VaultAuthorization, VaultScope, VaultToken, string>();
        modelBuilder.Entity<VaultClient>(e =>
        {
            e.ToTable("clients");
            e.Property(c => c.Id).HasColumnName("id");
            e.Property(c => c.ClientId).HasColumnName("client_id").HasComputedColumnSql("id", stored: false);
            e.Property(c => c.DisplayName).HasColumnName("display_name").IsRequired();
            e.Property(c => c.ClientSecret).HasColumnName("secret_hash");
            e.Property(c => c.Scopes).HasColumnName("scopes");
            e.Property(c => c.AllowedPurposes).HasColumnName("allowed_purposes");
            e.Property(c => c.CreatedAt).HasColumnName("created_at");
            e.Property(c => c.SecretRotatedAt).HasColumnName("secret_rotated_at");
            e.Property(c => c.DisabledAt).HasColumnName("disabled_at");
            e.Property(c => c.ClientType).HasColumnName("client_type").IsRequired();
            e.Property(c => c.ApplicationType).HasColumnName("application_type");
            e.Property(c => c.ConsentType).HasColumnName("consent_type").IsRequired();
            e.Property(c => c.ConcurrencyToken).HasColumnName("concurrency_token");
            e.Property(c => c.DisplayNames).HasColumnName("display_names");
            e.Property(c => c.JsonWebKeySet).HasColumnName("json_web_key_set");
            e.Property(c => c.RedirectUris).HasColumnName("redirect_uris");
            e.Property(c => c.PostLogoutRedirectUris).HasColumnName("post_logout_redirect_uris");
            e.Property(c => c.Requirements).HasColumnName("requirements");
            e.Property(c => c.Settings).HasColumnName("settings");
            e.Property(c => c.Properties).HasColumnName("properties");

            // What a client may do follows from its scopes, redirect URIs and type (VaultApplicationManager), never from a stored list.
            e.Ignore(c => c.Permissions);
        });
    }
}
