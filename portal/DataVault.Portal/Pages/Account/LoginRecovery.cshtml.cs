using System.ComponentModel.DataAnnotations;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Http;
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
    SignInManager<CustomerAccount> signIn,
    AccountNotices notices,
    SignInThrottle throttle,
    PortalAudit audit,
    IStringLocalizer<AccountText> text,
    ILogger<LoginRecoveryModel> logger) : PageModel
{
    [BindProperty]
    public RecoveryCodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync() =>
        await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();

    public async Task<IActionResult> OnPostAsync()
    {
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (throttle.Refused(HttpContext, account.Id, ModelState, text["Too many attempts. Wait a minute, then try again."], logger))
        {
            return Page();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var cancellationToken = HttpContext.RequestAborted;
        var result = await signIn.TwoFactorRecoveryCodeSignInAsync(Input.Code.Trim());
        if (!result.Succeeded)
        {
            await audit.RecordAsync(account, AuditActions.AccountRecoveryCodeSignIn, AuditOutcomes.Denied, cancellationToken);
            ModelState.AddModelError(string.Empty, result.IsLockedOut
                ? text["Too many wrong codes: the account is locked for a while."]
                : text["That recovery code is not valid, or it has been used already."]);
            return Page();
        }

        if (!await audit.RecordAsync(account, AuditActions.AccountRecoveryCodeSignIn, AuditOutcomes.Success, cancellationToken))
        {
            await signIn.SignOutAsync();
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Log.SignedInWithRecoveryCode(logger, account.Id);
        if (!await notices.SendAsync(account, AccountChange.RecoveryCodeUsed, PortalCultures.Current, cancellationToken))
        {
            Log.AccountNoticeNotSent(logger, account.Id);
        }

        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/account/recovery-codes");
    }
}
