using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;

namespace DataVault.Vault.Accounts;

/// <summary>
/// Identity's EF Core user store, except that the TOTP shared key (RFC 6238) and the two-factor recovery
/// codes are stored protected by Data Protection rather than in plain text in <c>AspNetUserTokens</c>:
/// whoever copies the database file must not be able to generate a customer's second factor or sign in
/// with one of their recovery codes.
/// </summary>
internal sealed class AccountUserStore(AccountsDbContext context, IDataProtectionProvider dataProtection, IdentityErrorDescriber? describer = null)
    : UserStore<CustomerAccount, IdentityRole, AccountsDbContext>(context, describer)
{
    /// <summary>Versioned envelope prefix, so the storage format can change without guessing.</summary>
    private const string Envelope = "dp1:";

    /// <summary>Where Identity's own store keeps recovery codes (its <c>UserStoreBase</c> names them so), kept so for the rows it deletes with the account.</summary>
    private const string InternalLoginProvider = "[AspNetUserStore]";
    private const string RecoveryCodeTokenName = "RecoveryCodes";

    private readonly IDataProtector _protector = dataProtection.CreateProtector("DataVault.Accounts.AuthenticatorKey.v1");
    private readonly IDataProtector _codeProtector = dataProtection.CreateProtector("DataVault.Accounts.RecoveryCodes.v1");

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

    public override Task ReplaceCodesAsync(CustomerAccount user, IEnumerable<string> recoveryCodes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(recoveryCodes);
        var merged = string.Join(';', recoveryCodes);
        return SetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, Envelope + _codeProtector.Protect(merged), cancellationToken);
    }

    /// <summary>Uses up <paramref name="code"/> if it is one of the account's unused codes; compared in constant time, case, spaces and dashes aside.</summary>
    public override async Task<bool> RedeemCodeAsync(CustomerAccount user, string code, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(code);
        var codes = await ReadCodesAsync(user, cancellationToken);
        var typed = Normalized(code);
        var match = codes.FindIndex(c => CryptographicOperations.FixedTimeEquals(Normalized(c), typed));
        if (match < 0)
        {
            return false;
        }

        codes.RemoveAt(match);
        await ReplaceCodesAsync(user, codes, cancellationToken);
        return true;
    }

    public override async Task<int> CountCodesAsync(CustomerAccount user, CancellationToken cancellationToken) =>
        (await ReadCodesAsync(user, cancellationToken)).Count;

    private static byte[] Normalized(string code) =>
        Encoding.UTF8.GetBytes(code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal).ToUpperInvariant());

    private async Task<List<string>> ReadCodesAsync(CustomerAccount user, CancellationToken cancellationToken)
    {
        var stored = await GetTokenAsync(user, InternalLoginProvider, RecoveryCodeTokenName, cancellationToken);
        if (string.IsNullOrEmpty(stored))
        {
            return [];
        }

        return stored.StartsWith(Envelope, StringComparison.Ordinal)
            ? [.. _codeProtector.Unprotect(stored[Envelope.Length..]).Split(';', StringSplitOptions.RemoveEmptyEntries)]
            : throw new InvalidDataException("Recovery codes are stored in an unknown format.");
    }
}
