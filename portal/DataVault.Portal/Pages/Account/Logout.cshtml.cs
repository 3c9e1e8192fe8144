using DataVault.Vault.Accounts;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Logging;

namespace DataVault.Portal.Pages.Account;

/// <summary>Sign-out is a POST with an antiforgery token, so another site cannot sign a customer out (or in as someone else).</summary>
internal sealed class LogoutModel(SignInManager<CustomerAccount> signIn, ILogger<LogoutModel> logger) : PageModel
{
    public async Task<IActionResult> OnPostAsync()
    {
        if (signIn.UserManager.GetUserId(User) is { } accountId)
        {
            Log.SignedOut(logger, accountId);
        }

        await signIn.SignOutAsync();
        return RedirectToPage("/Account/Login");
    }
}
