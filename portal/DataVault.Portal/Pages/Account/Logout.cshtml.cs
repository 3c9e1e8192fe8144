namespace DataVault.Portal.Pages.Account;

/// <summary>Sign-out is a POST with an antiforgery token, so another site cannot sign a customer out (or in as someone else).</summary>
internal sealed class LogoutModel(SignInManager<CustomerAccount> signIn, PortalAudit audit, ILogger<LogoutModel> logger) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        if (await signIn.UserManager.GetUserAsync(User) is { } account)
        {
            // Signing out always proceeds: refusing it would keep a session open that the customer wants closed.
            await audit.RecordAsync(account, AuditActions.AccountSignOut, AuditOutcomes.Success, HttpContext.RequestAborted);
            Log.SignedOut(logger, account.Id);
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
