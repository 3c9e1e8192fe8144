using DataVault.Vault.Erasure;
using DataVault.Vault.Storage;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace DataVault.Vault.Accounts;

public static class AccountsServiceCollectionExtensions
{
    /// <summary>
    /// ASP.NET Core Identity on the vault's database, invitations, staff accounts, and the erasure step for portal
    /// accounts. Sign-in (cookies, <c>SignInManager</c>) belongs to the web host and is added by the portal. Needs
    /// <c>AddVaultStorage</c> and <c>AddSubjects</c>.
    /// </summary>
    public static IServiceCollection AddAccounts(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountOptions>()
            .Bind(configuration.GetSection(AccountOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddDbContext<AccountsDbContext>(StorageServiceCollectionExtensions.UseVaultDatabase);

        services.AddIdentityCore<CustomerAccount>()
            .AddRoles<IdentityRole>()
            .AddUserStore<AccountUserStore>()
            .AddRoleStore<RoleStore<IdentityRole, AccountsDbContext>>()
            .AddTokenProvider<AuthenticatorTokenProvider<CustomerAccount>>(TokenOptions.DefaultAuthenticatorProvider)

            // Identity's own reset token is made and spent within one PasswordResetService.ResetAsync; the
            // link e-mailed to the holder carries the vault's one-time token instead.
            .AddTokenProvider<DataProtectorTokenProvider<CustomerAccount>>(TokenOptions.DefaultProvider);
        services.AddOptions<IdentityOptions>().Configure<IOptions<AccountOptions>>((identity, accounts) =>
        {
            var settings = accounts.Value;

            // The schema of migration 0005: the Identity tables without passkeys.
            identity.Stores.SchemaVersion = IdentitySchemaVersions.Version1;

            // The user name is the sign-in e-mail address, validated as an address, so any character it may hold is allowed.
            identity.User.AllowedUserNameCharacters = string.Empty;
            identity.User.RequireUniqueEmail = true;

            // NIST SP 800-63B §5.1.1.2: a minimum length, no composition rules.
            identity.Password.RequiredLength = settings.MinimumPasswordLength;
            identity.Password.RequireDigit = false;
            identity.Password.RequireLowercase = false;
            identity.Password.RequireUppercase = false;
            identity.Password.RequireNonAlphanumeric = false;
            identity.Password.RequiredUniqueChars = 1;

            identity.Lockout.AllowedForNewUsers = true;
            identity.Lockout.MaxFailedAccessAttempts = settings.MaxFailedSignInAttempts;
            identity.Lockout.DefaultLockoutTimeSpan = settings.LockoutDuration;

            // The invitation link proves the customer received it; there is no separate confirmation step.
            identity.SignIn.RequireConfirmedAccount = false;
            identity.Tokens.AuthenticatorIssuer = "DataVault";
        });

        services.AddScopedService<InvitationService>();
        services.AddScoped<IAccountActivation>(provider => provider.GetRequiredService<InvitationService>());
        services.AddScopedService<OfficerService>();
        services.AddScopedService<AccountNotices>();
        services.AddScopedService<PasswordResetService>();
        services.AddScoped<IErasureStep, AccountErasureStep>();
        return services;
    }
}
