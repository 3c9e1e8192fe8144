using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace DataVault.Portal.AccountSafety;

/// <summary>
/// Staff accounts (officers, administrators, and any role added later) reach every customer's records, so
/// a password alone is not enough for them: a staff account without two-factor sign-in is sent to set it up
/// (<c>/account/two-factor</c>) from every page but the account pages themselves and the language switcher,
/// before any desk page is shown or any desk form is handled. Whether the account has it on travels in the
/// sign-in cookie (<see cref="PortalAccess.TwoFactorClaim"/>), refreshed when it changes and at each
/// security stamp validation, so the check costs no database read.
/// </summary>
internal sealed class StaffTwoFactorFilter : IAsyncPageFilter
{
    public const string SetUpPath = "/account/two-factor";

    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var user = context.HttpContext.User;
        var page = context.ActionDescriptor.ViewEnginePath;
        if (user.IsStaff() && !user.HasTwoFactor() && !IsOpenWithoutSecondFactor(page))
        {
            context.Result = new RedirectResult(SetUpPath);
            return;
        }

        await next();
    }

    /// <summary>The account pages (two-factor set-up, sign-in and sign-out, recovery) and the language switcher.</summary>
    private static bool IsOpenWithoutSecondFactor(string page) =>
        page.StartsWith("/Account/", StringComparison.Ordinal) || page == "/Language";
}
