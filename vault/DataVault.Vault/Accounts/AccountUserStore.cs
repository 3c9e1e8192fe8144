using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace DataVault.Vault.Accounts;

/// <summary>
/// Identity's EF Core user store, except that the TOTP shared key (RFC 6238) is stored protected by
/// Data Protection rather than in plain text in <c>AspNetUserTokens</c>: whoever copies the database
/// file must not be able to generate a customer's second factor.
/// </summary>
internal sealed class AccountUserStore(AccountsDbContext context, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserStore<CustomerAccount, IdentityRole, AccountsDbContext>(context, describer)
{
    /// <summary>Versioned envelope prefix, so the storage format can change without guessing.</summary>
    private const string Envelope = "dp1:";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("DataVault.Accounts.AuthenticatorKey.v1");

    public override Task SetAuthenticatorKeyAsync(CustomerAccount user, string key, CancellationToken cancellationToken) =>
        base.SetAuthenticatorKeyAsync(user, Envelope + _protector.Protect(key), cancellationToken);

    public override async Task<string?> GetAuthenticatorKeyAsync(CustomerAccount user, CancellationToken cancellationToken)
    {
        var stored = await base.GetAuthenticatorKeyAsync(user, cancellationToken);
        if (stored is null)
        {
            return null;
        }

        return stored.StartsWith(Envelope, StringComparison.Ordinal)
            ? _protector.Unprotect(stored[Envelope.Length..])
            : throw new InvalidDataException("An authenticator key is stored in an unknown format.");
    }
}
