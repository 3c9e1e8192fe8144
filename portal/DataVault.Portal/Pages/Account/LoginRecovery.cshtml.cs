using System.ComponentModel.DataAnnotations;
using DataVault.Portal.AccountSafety;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

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
    ILogger<LoginRecoveryModel> logger) : PageModel
{
    [BindProperty]
    public RecoveryCodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public Task<IActionResult> OnGetAsync() => step.ShowAsync(this, ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        var (answer, account) = await step.SignInAsync(
            this,
            AuditActions.AccountRecoveryCodeSignIn,
            () => signIn.TwoFactorRecoveryCodeSignInAsync(Input.Code.Trim()),
            text["That recovery code is not valid, or it has been used already."],
            logger,
            ReturnUrl);
        if (answer is not null)
        {
            return answer;
        }

        Log.SignedInWithRecoveryCode(logger, account!.Id);
        if (!await notices.SendAsync(account, AccountChange.RecoveryCodeUsed, PortalCultures.Current, HttpContext.RequestAborted))
        {
            Log.AccountNoticeNotSent(logger, account.Id);
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/recovery-codes");
    }
}
