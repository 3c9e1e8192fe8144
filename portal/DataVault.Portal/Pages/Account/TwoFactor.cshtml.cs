using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.Pages.Account;

/// <summary>
/// Turns TOTP two-factor sign-in (RFC 6238) on or off. Either way the account holder proves they have
/// the app by entering a current code, so a session left open cannot quietly switch it off, and a key
/// that never reached an app cannot lock the owner out.
/// </summary>
internal sealed class TwoFactorModel(
    UserManager<CustomerAccount> users,
    SignInManager<CustomerAccount> signIn,
    SignInThrottle throttle,
    IStringLocalizer<AccountText> text,
    ILogger<TwoFactorModel> logger) : PageModel
{
    [BindProperty]
    public TotpCodeInput Input { get; set; } = new();

    public bool IsEnabled { get; private set; }

    public string SharedKey { get; private set; } = string.Empty;

    public string QrCodeDataUri { get; private set; } = string.Empty;

    public int QrCodeSize { get; private set; }

    public string? StatusMessage { get; private set; }

    public async Task<IActionResult> OnGetAsync()
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        await LoadAsync(account);
        return Page();
    }

    public Task<IActionResult> OnPostEnableAsync() => ChangeAsync(enable: true);

    public Task<IActionResult> OnPostDisableAsync() => ChangeAsync(enable: false);

    private async Task<IActionResult> ChangeAsync(bool enable)
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        if (throttle.Attempt(HttpContext, account.Id) is { } wait)
        {
            Log.SignInThrottled(logger, wait);
            SignInThrottle.WriteTooManyRequests(Response, wait);
            ModelState.AddModelError(string.Empty, text["Too many attempts. Wait a minute, then try again."]);
        }
        // When the state is already the one asked for, the form was submitted twice: nothing to do.
        else if (ModelState.IsValid && account.TwoFactorEnabled != enable)
        {
            if (await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, Input.Normalized))
            {
                await ApplyAsync(account, enable);
            }
            else
            {
                ModelState.AddModelError(string.Empty, text["That code is not valid. Codes change every 30 seconds; enter the one your app shows now."]);
            }
        }

        await LoadAsync(account);
        return Page();
    }

    private async Task ApplyAsync(CustomerAccount account, bool enable)
    {
        await users.SetTwoFactorEnabledAsync(account, enable);
        if (enable)
        {
            Log.TwoFactorEnabled(logger, account.Id);
            StatusMessage = text["Two-factor sign-in is now on. From your next sign-in you will be asked for a code."];
        }
        else
        {
            // A fresh key next time: the old one may still sit in an app the owner no longer controls.
            await users.ResetAuthenticatorKeyAsync(account);
            Log.TwoFactorDisabled(logger, account.Id);
            StatusMessage = text["Two-factor sign-in is now off."];
        }

        await signIn.RefreshSignInAsync(account);
    }

    private async Task LoadAsync(CustomerAccount account)
    {
        IsEnabled = account.TwoFactorEnabled;
        if (IsEnabled)
        {
            return;
        }

        var key = await users.GetAuthenticatorKeyAsync(account);
        if (string.IsNullOrEmpty(key))
        {
            await users.ResetAuthenticatorKeyAsync(account);
            await signIn.RefreshSignInAsync(account);
            key = await users.GetAuthenticatorKeyAsync(account) ?? throw new InvalidOperationException("The authenticator key was not stored.");
        }

        SharedKey = AuthenticatorQrCode.Format(key);
        var (dataUri, size) = AuthenticatorQrCode.Png(AuthenticatorQrCode.KeyUri(users.Options.Tokens.AuthenticatorIssuer, account.Email ?? account.Id, key));
        QrCodeDataUri = dataUri;
        QrCodeSize = size;
    }
}
