using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace DataVault.Portal.Pages.Account;

/// <summary>The address an account signs in with, as typed on the sign-in and "forgot password" pages.</summary>
internal class SignInAddressInput
{
    [Required(ErrorMessage = "Enter your e-mail address.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address like name@example.com.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Email { get; set; } = string.Empty;
}

internal sealed class LoginInput : SignInAddressInput
{
    [Required(ErrorMessage = "Enter your password.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Password { get; set; } = string.Empty;
}

/// <summary>Password sign-in for customers and staff; hands over to <c>/account/login-2fa</c> when the account uses TOTP.</summary>
internal sealed class LoginModel(
    SignInManager<CustomerAccount> signIn,
    IPasswordHasher<CustomerAccount> hasher,
    SignInThrottle throttle,
    IOptions<AccountOptions> accounts,
    PortalAudit audit,
    IStringLocalizer<AccountText> text,
    ILogger<LoginModel> logger) : PageModel
{
    /// <summary>Checked against for unknown addresses, so a response's timing does not tell whether an account exists.</summary>
    private static string? s_unknownAccountHash;

    [BindProperty]
    public LoginInput Input { get; set; } = new();

    /// <summary>The value of <see cref="Done"/> after a password was set with a reset link.</summary>
    public const string PasswordChanged = "password-changed";

    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    /// <summary>What was just done elsewhere, shown once: <see cref="PasswordChanged"/>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public int MaxFailedAttempts => accounts.Value.MaxFailedSignInAttempts;

    public int LockoutMinutes => (int)accounts.Value.LockoutDuration.TotalMinutes;

    public Task OnGetAsync() => PortalFormTarget.AllowReturnToAuthorizationAsync(HttpContext, Url, ReturnUrl);

    public async Task<IActionResult> OnPostAsync()
    {
        await PortalFormTarget.AllowReturnToAuthorizationAsync(HttpContext, Url, ReturnUrl);
        if (throttle.Refused(HttpContext, Input.Email, ModelState, text["Too many sign-in attempts. Wait a minute, then try again."], logger))
        {
            return Page();
        }

        if (!ModelState.IsValid)
        {
            return Page();
        }

        var account = await signIn.UserManager.FindByNameAsync(Input.Email.Trim());
        if (account is null)
        {
            s_unknownAccountHash ??= hasher.HashPassword(new CustomerAccount(), Guid.NewGuid().ToString());
            hasher.VerifyHashedPassword(new CustomerAccount(), s_unknownAccountHash, Input.Password);
            return Failed();
        }

        var result = await signIn.PasswordSignInAsync(account, Input.Password, isPersistent: false, lockoutOnFailure: true);
        if (result.RequiresTwoFactor)
        {
            return RedirectToPage("/Account/LoginTwoFactor", new { ReturnUrl });
        }

        if (!result.Succeeded)
        {
            await audit.RecordAsync(account, AuditActions.AccountSignIn, AuditOutcomes.Denied, HttpContext.RequestAborted);
            return Failed();
        }

        if (!await audit.RecordAsync(account, AuditActions.AccountSignIn, AuditOutcomes.Success, HttpContext.RequestAborted))
        {
            // Fail closed: a sign-in that cannot be recorded does not happen.
            await signIn.SignOutAsync();
            return StatusCode(StatusCodes.Status503ServiceUnavailable);
        }

        Log.SignedIn(logger, account.Id);
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl : "/");
    }

    /// <summary>One message for a wrong address, a wrong password and a locked account: none reveals that an account exists.</summary>
    private PageResult Failed()
    {
        ModelState.AddModelError(string.Empty, text["Sign-in failed. Check your e-mail address and password; if it keeps failing, the account may be locked for a while."]);
        return Page();
    }
}
