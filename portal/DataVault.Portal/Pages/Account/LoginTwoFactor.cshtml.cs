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
    ILogger<LoginTwoFactorModel> logger) : PageModel
{
    [BindProperty]
    public TotpCodeInput Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    public Task<IActionResult> OnGetAsync() => step.ShowAsync(this, ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        var (answer, account) = await step.SignInAsync(
            this,
            AuditActions.AccountSignIn,
            () => signIn.TwoFactorAuthenticatorSignInAsync(Input.Normalized, isPersistent: false, rememberClient: false),
            text["That code is not valid. Codes change every 30 seconds; enter the one your app shows now."],
            logger,
            ReturnUrl);
        if (answer is not null)
        {
            return answer;
        }

        Log.SignedIn(logger, account!.Id);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }
}
