using DataVault.Portal.AccountSafety;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.Pages.Account;

/// <summary>
/// Two-factor recovery codes: how many are left, and a new set on request, after the password and a current
/// code (<see cref="Reauthentication"/>). A new set replaces the old one at once, is shown in this response
/// only (never stored in the clear: <c>AccountUserStore</c> keeps them protected), is audited (attempted, then
/// its outcome) and told to the holder by e-mail.
/// </summary>
internal sealed class RecoveryCodesModel(
    UserManager<CustomerAccount> users,
    SignInManager<CustomerAccount> signIn,
    Reauthentication reauthentication,
    AccountNotices notices,
    PortalAudit audit,
    ILogger<RecoveryCodesModel> logger) : PageModel
{
    [BindProperty]
    public ReauthenticationInput Confirm { get; set; } = new();

    public bool TwoFactorEnabled { get; private set; }

    public int CodesLeft { get; private set; }

    /// <summary>The codes just made, shown in this response only.</summary>
    public IReadOnlyList<string> NewCodes { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync()
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        await LoadAsync(account);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync()
    {
        if (await users.GetUserAsync(User) is not { } account)
        {
            await signIn.SignOutAsync();
            return RedirectToPage("/Account/Login");
        }

        var cancellationToken = HttpContext.RequestAborted;
        if (account.TwoFactorEnabled)
        {
            switch (await reauthentication.ConfirmAsync(HttpContext, account, Confirm, ModelState, cancellationToken))
            {
                case ReauthenticationOutcome.Unavailable:
                    return PortalAudit.Unavailable();
                case ReauthenticationOutcome.Confirmed:
                    var change = await audit.RecordChangeAsync(
                        account,
                        AuditActions.AccountRecoveryCodes,
                        async () =>
                        {
                            NewCodes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, TwoFactorModel.RecoveryCodeCount) ?? []).ToList();
                            Response.Headers.CacheControl = "no-store";
                            Log.RecoveryCodesGenerated(logger, account.Id);
                            return true;
                        },
                        _ => AuditOutcomes.Success,
                        cancellationToken);
                    if (!change.Recorded)
                    {
                        return PortalAudit.Unavailable();
                    }

                    if (!await notices.SendAsync(account, AccountChange.RecoveryCodesGenerated, PortalCultures.Current, cancellationToken))
                    {
                        Log.AccountNoticeNotSent(logger, account.Id);
                    }

                    break;
            }
        }

        await LoadAsync(account);
        return Page();
    }

    private async Task LoadAsync(CustomerAccount account)
    {
        TwoFactorEnabled = account.TwoFactorEnabled;
        CodesLeft = TwoFactorEnabled ? await users.CountRecoveryCodesAsync(account) : 0;
    }
}
