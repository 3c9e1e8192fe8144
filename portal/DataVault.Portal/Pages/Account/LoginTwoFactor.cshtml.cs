using System.ComponentModel.DataAnnotations;
using DataVault.Portal.AccountSafety;

namespace DataVault.Portal.Pages.Account;

internal sealed class TotpCodeInput
{
    [Required(ErrorMessage = "Enter the 6-digit code from your authenticator app.")]
    [StringLength(16, ErrorMessage = "Use at most {1} characters.")]
    public string Code { get; set; } = string.Empty;

    /// <summary>The code without the spaces or dashes apps show for readability.</summary>
    public string Normalized => Code.Replace(" ", string.Empty, StringComparison.Ordinal).Replace("-", string.Empty, StringComparison.Ordinal);
}

/// <summary>
/// The second step of sign-in (RFC 6238 TOTP). Identity keeps who passed the password step in its
/// short-lived two-factor cookie; wrong codes count towards the same lockout as wrong passwords.
/// </summary>
internal sealed class LoginTwoFactorModel(
    SecondSignInStep step,
    SignInManager<CustomerAccount> signIn,
    IStringLocalizer<AccountText> text,
    ILogger<LoginTwoFactorModel> logger) : SecondSignInPage<TotpCodeInput>(step, logger)
{
    protected override string Action => AuditActions.AccountSignIn;

    protected override string WrongCode => text["That code is not valid. Codes change every 30 seconds; enter the one your app shows now."];

    protected override Task<SignInResult> SignInWithCodeAsync() =>
        signIn.TwoFactorAuthenticatorSignInAsync(Input.Normalized, isPersistent: false, rememberClient: false);

    protected override Task<IActionResult> SignedInAsync(CustomerAccount account)
    {
        Log.SignedIn(Logger, account.Id);
        return Task.FromResult(Continue("/"));
    }
}
