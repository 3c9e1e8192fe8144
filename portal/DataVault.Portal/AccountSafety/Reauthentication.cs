using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.AccountSafety;

/// <summary>What the holder types again before a grave step: the password, and a current code when two-factor sign-in is on.</summary>
internal sealed class ReauthenticationInput
{
    public string? Password { get; set; }

    public string? Code { get; set; }
}

/// <summary>How a re-authentication ended.</summary>
internal enum ReauthenticationOutcome
{
    Confirmed,

    /// <summary>Something was wrong or missing; the errors are on the form.</summary>
    Refused,

    /// <summary>Too many attempts from this address or on this account: 429.</summary>
    Throttled,

    /// <summary>The refusal could not be put on record: 503.</summary>
    Unavailable,
}

/// <summary>
/// Asks for the password again, and a current authenticator code when two-factor sign-in is on, before a step
/// that cannot be undone or that weakens the account (erasure, turning two-factor off, new recovery codes): a
/// session left open on a shared computer is not enough for it (NIST SP 800-63B §4.2.3, re-authentication).
/// Wrong answers count towards the account's lockout and the sign-in rate limits like a sign-in, and each
/// refusal is audited (<see cref="AuditActions.AccountReauthenticate"/>, denied). Nothing typed is kept or logged.
/// </summary>
internal sealed class Reauthentication(
    SignInManager<CustomerAccount> signIn,
    SignInThrottle throttle,
    PortalAudit audit,
    IStringLocalizer<AccountText> text,
    ILogger<Reauthentication> logger)
{
    /// <summary>The form field names, as pages name their inputs.</summary>
    public const string PasswordField = "Confirm.Password";

    public const string CodeField = "Confirm.Code";

    /// <summary>Checks <paramref name="input"/> for <paramref name="account"/>; errors go into <paramref name="errors"/> under the fields' names.</summary>
    public async Task<ReauthenticationOutcome> ConfirmAsync(
        HttpContext context, CustomerAccount account, ReauthenticationInput input, ModelStateDictionary errors, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(errors);
        if (throttle.Refused(context, account.Id, errors, text["Too many attempts. Wait a minute, then try again."], logger))
        {
            return ReauthenticationOutcome.Throttled;
        }

        if (string.IsNullOrEmpty(input.Password))
        {
            errors.AddModelError(PasswordField, text["Enter your password."]);
        }

        var code = input.Code?.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
        if (account.TwoFactorEnabled && string.IsNullOrEmpty(code))
        {
            errors.AddModelError(CodeField, text["Enter the 6-digit code from your authenticator app."]);
        }

        if (errors.ErrorCount > 0)
        {
            return ReauthenticationOutcome.Refused;
        }

        var users = signIn.UserManager;
        var password = await signIn.CheckPasswordSignInAsync(account, input.Password!, lockoutOnFailure: true);
        var confirmed = password.Succeeded;
        if (confirmed && account.TwoFactorEnabled
            && !await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, code!))
        {
            // A wrong code counts towards the lockout as a wrong password does.
            await users.AccessFailedAsync(account);
            confirmed = false;
        }

        if (confirmed)
        {
            return ReauthenticationOutcome.Confirmed;
        }

        if (!await audit.RecordAsync(account, AuditActions.AccountReauthenticate, AuditOutcomes.Denied, cancellationToken))
        {
            return ReauthenticationOutcome.Unavailable;
        }

        errors.AddModelError(string.Empty, password.IsLockedOut || await users.IsLockedOutAsync(account)
            ? text["Too many wrong attempts: the account is locked for a while."]
            : account.TwoFactorEnabled
                ? text["The password or the code is not right. Codes change every 30 seconds; enter the one your app shows now."]
                : text["The password is not right."]);
        return ReauthenticationOutcome.Refused;
    }
}
