using System.ComponentModel.DataAnnotations;
using DataVault.Portal.AccountSafety;

namespace DataVault.Portal.Pages.Account;

internal sealed class RecoveryCodeInput
{
    [Required(ErrorMessage = "Enter one of your recovery codes.")]
    [StringLength(32, ErrorMessage = "Use at most {1} characters.")]
    public string Code { get; set; } = string.Empty;
}

/// <summary>
/// The second step of sign-in with a recovery code instead of an authenticator code, for a holder who lost
/// their phone. Each code works once (Identity's recovery codes, stored protected by <c>AccountUserStore</c>);
/// wrong codes count towards the lockout. A successful use is audited and told to the holder by e-mail, so a
/// code used by someone else does not go unnoticed.
/// </summary>
internal sealed class LoginRecoveryModel(
    SecondSignInStep step,
    SignInManager<CustomerAccount> signIn,
    AccountNotices notices,
    IStringLocalizer<AccountText> text,
    ILogger<LoginRecoveryModel> logger) : SecondSignInPage<RecoveryCodeInput>(step, logger)
{
    protected override string Action => AuditActions.AccountRecoveryCodeSignIn;

    protected override string WrongCode => text["That recovery code is not valid, or it has been used already."];

    protected override Task<SignInResult> SignInWithCodeAsync() => signIn.TwoFactorRecoveryCodeSignInAsync(Input.Code.Trim());

    protected override async Task<IActionResult> SignedInAsync(CustomerAccount account)
    {
        Log.SignedInWithRecoveryCode(Logger, account.Id);
        if (!await notices.SendAsync(account, AccountChange.RecoveryCodeUsed, PortalCultures.Current, HttpContext.RequestAborted))
        {
            Log.AccountNoticeNotSent(Logger, account.Id);
        }

        return Continue("/account/recovery-codes");
    }
}
