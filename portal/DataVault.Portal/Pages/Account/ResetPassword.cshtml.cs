using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace DataVault.Portal.Pages.Account;

/// <summary>
/// Opens a "forgot password" link: the holder chooses a new password (the same rules as at activation),
/// the link is used up, every other session of the account ends, and the holder is told by e-mail. The
/// change is audited as attempted before it is made, then with its outcome. The holder then signs in as
/// usual, with the second factor when it is on: the link replaces the password, never the second factor.
/// </summary>
internal sealed class ResetPasswordModel(
    PasswordResetService resets,
    UserManager<CustomerAccount> users,
    AccountNotices notices,
    PortalAudit audit,
    IOptions<AccountOptions> accounts,
    ILogger<ResetPasswordModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public ActivateInput Input { get; set; } = new();

    public bool LinkWorks { get; private set; }

    public int MinimumPasswordLength => accounts.Value.MinimumPasswordLength;

    public async Task<PageResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        return await resets.FindAsync(Token, cancellationToken) is null ? LinkDoesNotWork() : Shown();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        if (await resets.FindAsync(Token, cancellationToken) is not { } pending || await users.FindByIdAsync(pending.AccountId) is not { } account)
        {
            return LinkDoesNotWork();
        }

        if (!ModelState.IsValid)
        {
            return Shown();
        }

        var change = await audit.RecordChangeAsync(
            account,
            AuditActions.AccountPasswordReset,
            () => resets.ResetAsync(Token, Input.Password, cancellationToken),
            reset => reset.Outcome switch
            {
                PasswordResetOutcome.Reset => AuditOutcomes.Success,
                PasswordResetOutcome.Rejected => AuditOutcomes.Invalid,
                _ => AuditOutcomes.NotFound,
            },
            cancellationToken);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        var result = change.Result;

        switch (result.Outcome)
        {
            case PasswordResetOutcome.Reset:
                Log.PasswordReset(logger, account.Id);
                if (!await notices.SendAsync(result.Account!, AccountChange.PasswordChanged, PortalCultures.Current, cancellationToken))
                {
                    Log.AccountNoticeNotSent(logger, account.Id);
                }

                return RedirectToPage("/Account/Login", new { done = LoginModel.PasswordChanged });
            case PasswordResetOutcome.Rejected:
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(string.Empty, error);
                }

                return Shown();
            default:
                return LinkDoesNotWork();
        }
    }

    private PageResult Shown()
    {
        LinkWorks = true;
        return Page();
    }

    private PageResult LinkDoesNotWork()
    {
        LinkWorks = false;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
