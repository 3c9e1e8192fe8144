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
    SignInManager<CustomerAccount> signIn,
    SignInThrottle throttle,
    PortalAudit audit,
    IStringLocalizer<AccountText> text,
    ILogger<LoginTwoFactorModel> logger) : PageModel
{
    [BindProperty]
    public TotpCodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public async Task<IActionResult> OnGetAsync()
    {
        await PortalFormTarget.AllowReturnToAuthorizationAsync(HttpContext, Url, ReturnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? RedirectToPage("/Account/Login") : Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        await PortalFormTarget.AllowReturnToAuthorizationAsync(HttpContext, Url, ReturnUrl);
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return RedirectToPage("/Account/Login");
        }

        if (throttle.Attempt(HttpContext, account.Id) is { } wait)
        {
            Log.SignInThrottled(logger, wait);
            SignInThrottle.WriteTooManyRequests(Response, wait);
            ModelState.AddModelError(string.Empty, text["Too many attempts. Wait a minute, then try again."]);
            return Page();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var result = await signIn.TwoFactorAuthenticatorSignInAsync(Input.Normalized, isPersistent: false, rememberClient: false);
        if (!result.Succeeded)
        {
            await audit.RecordAsync(account, AuditActions.AccountSignIn, AuditOutcomes.Denied, HttpContext.RequestAborted);
            ModelState.AddModelError(string.Empty, result.IsLockedOut
                ? text["Too many wrong codes: the account is locked for a while."]
                : text["That code is not valid. Codes change every 30 seconds; enter the one your app shows now."]);
            return Page();
        }

        if (!await audit.RecordAsync(account, AuditActions.AccountSignIn, AuditOutcomes.Success, HttpContext.RequestAborted))
        {
            await signIn.SignOutAsync();
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Log.SignedIn(logger, account.Id);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
