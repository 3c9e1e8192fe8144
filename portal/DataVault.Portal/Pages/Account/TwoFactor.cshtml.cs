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

/// <summary>
/// Turns TOTP two-factor sign-in (RFC 6238) on or off. Turning it on needs a current code from the app, so a
/// key that never reached an app cannot lock the owner out, and hands out the account's first recovery codes,
/// shown once. Turning it off needs the password and a current code again (<see cref="Reauthentication"/>), so a
/// session left open cannot quietly switch it off. Either change is audited (attempted, then its outcome) and
/// told to the holder by e-mail. Staff accounts need it: <see cref="StaffTwoFactorFilter"/> sends them here
/// until it is on.
/// </summary>
internal sealed class TwoFactorModel(
    UserManager<CustomerAccount> users,
    SignInManager<CustomerAccount> signIn,
    SignInThrottle throttle,
    Reauthentication reauthentication,
    AccountNotices notices,
    PortalAudit audit,
    IStringLocalizer<AccountText> text,
    ILogger<TwoFactorModel> logger) : PageModel
{
    /// <summary>Recovery codes handed out with two-factor sign-in and each time they are made anew.</summary>
    public const int RecoveryCodeCount = 10;

    /// <summary>The code of the enable form, bound by its handler only (the disable form asks for <see cref="Confirm"/> instead).</summary>
    public TotpCodeInput Input { get; private set; } = new();

    [BindProperty]
    public ReauthenticationInput Confirm { get; set; } = new();

    public bool IsEnabled { get; private set; }

    /// <summary>A staff account, which may not work without two-factor sign-in.</summary>
    public bool IsStaff => User.IsStaff();

    public int RecoveryCodesLeft { get; private set; }

    public string SharedKey { get; private set; } = string.Empty;

    public string QrCodeDataUri { get; private set; } = string.Empty;

    public int QrCodeSize { get; private set; }

    public string? StatusMessage { get; private set; }

    /// <summary>The recovery codes just made, shown in this response only.</summary>
    public IReadOnlyList<string> NewRecoveryCodes { get; private set; } = [];

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

    public async Task<IActionResult> OnPostEnableAsync([FromForm(Name = nameof(Input))] TotpCodeInput input)
    {
        Input = input;
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        // (When it is on already, the form was submitted twice: nothing to do.)
        var refused = throttle.Refused(HttpContext, account.Id, ModelState, text["Too many attempts. Wait a minute, then try again."], logger);
        if (!refused && ModelState.IsValid && !account.TwoFactorEnabled)
        {
            if (await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, Input.Normalized))
            {
                if (!await ChangeAsync(account, enable: true))
                {
                    return PortalAudit.Unavailable();
                }
            }
            else
            {
                ModelState.AddModelError(string.Empty, text["That code is not valid. Codes change every 30 seconds; enter the one your app shows now."]);
            }
        }

        await LoadAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostDisableAsync()
    {
        var account = await users.GetUserAsync(User);
        if (account is null)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        if (account.TwoFactorEnabled)
        {
            switch (await reauthentication.ConfirmAsync(HttpContext, account, Confirm, ModelState, HttpContext.RequestAborted))
            {
                case ReauthenticationOutcome.Unavailable:
                    return PortalAudit.Unavailable();
                case ReauthenticationOutcome.Confirmed when !await ChangeAsync(account, enable: false):
                    return PortalAudit.Unavailable();
            }
        }

        await LoadAsync(account);
        return Page();
    }

    /// <summary>Makes the change between its two audit entries, then tells the holder; false when it could not be put on record.</summary>
    private async Task<bool> ChangeAsync(CustomerAccount account, bool enable)
    {
        var cancellationToken = HttpContext.RequestAborted;
        var action = enable ? AuditActions.AccountTwoFactorEnable : AuditActions.AccountTwoFactorDisable;
        var change = await audit.RecordChangeAsync(account, action, () => SwitchAsync(account, enable), _ => AuditOutcomes.Success, cancellationToken);
        if (!change.Made)
        {
            return false;
        }

        if (!await notices.SendAsync(account, enable ? AccountChange.TwoFactorEnabled : AccountChange.TwoFactorDisabled, PortalCultures.Current, cancellationToken))
        {
            Log.AccountNoticeNotSent(logger, account.Id);
        }

        return change.Recorded;
    }

    /// <summary>Turns two-factor sign-in on (with new recovery codes) or off (with a fresh key) and renews the session's cookie.</summary>
    private async Task<bool> SwitchAsync(CustomerAccount account, bool enable)
    {
        await users.SetTwoFactorEnabledAsync(account, enable);
        if (enable)
        {
            NewRecoveryCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, RecoveryCodeCount) ?? []).ToList();
            Log.TwoFactorEnabled(logger, account.Id);
            StatusMessage = text["Two-factor sign-in is now on. From your next sign-in you will be asked for a code."];
        }
        else
        {
            // A fresh key next time: the old one may still sit in an app the owner no longer controls. (Recovery
            // codes only ever count in the second step of a sign-in, which is gone; turning it on again makes new ones.)
            await users.ResetAuthenticatorKeyAsync(account);
            Log.TwoFactorDisabled(logger, account.Id);
            StatusMessage = text["Two-factor sign-in is now off."];
        }

        await signIn.RefreshSignInAsync(account);
        Response.Headers.CacheControl = "no-store";
        return true;
    }

    private async Task LoadAsync(CustomerAccount account)
    {
        IsEnabled = account.TwoFactorEnabled;
        if (IsEnabled)
        {
            RecoveryCodesLeft = await users.CountRecoveryCodesAsync(account);
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
