using System.ComponentModel.DataAnnotations;
using DataVault.Portal.AccountSafety;
using DataVault.Portal.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.Pages.Account;

internal sealed class ForgotPasswordInput
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address like name@example.com.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Email { get; set; } = string.Empty;
}

/// <summary>
/// "Forgot your password?": the holder types the address they sign in with, and a one-time link is e-mailed
/// to the account's address on record. The answer is the same, and as quick, whether or not an account uses
/// the address (the request is handled after the answer, by <see cref="PasswordResetRequests"/>), and
/// requests are rate limited per client address and per address typed (<see cref="PasswordResetThrottle"/>).
/// </summary>
internal sealed class ForgotPasswordModel(
    PasswordResetRequests requests,
    PasswordResetThrottle throttle,
    IStringLocalizer<AccountText> text,
    ILogger<ForgotPasswordModel> logger) : PageModel
{
    [BindProperty]
    public ForgotPasswordInput Input { get; set; } = new();

    /// <summary>Whether the request was taken: the page then says what happens next.</summary>
    public bool Requested { get; private set; }

    public IActionResult OnPost()
    {
        if (!ModelState.IsValid)
        {
            return Page();
        }

        if (throttle.Refused(HttpContext, Input.Email, ModelState, text["Too many requests. Wait an hour, then try again."], logger))
        {
            return Page();
        }

        requests.TryQueue(Input.Email.Trim(), PortalCultures.Current);
        Requested = true;
        return Page();
    }
}
