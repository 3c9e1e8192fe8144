using Microsoft.AspNetCore.Http;

namespace DataVault.Portal.AccountSafety;

/// <summary>How the second step of a sign-in ended: <see cref="Answer"/> for the page to give, or the <see cref="Account"/> now signed in.</summary>
internal readonly record struct SecondStepResult(IActionResult? Answer, CustomerAccount? Account);

/// <summary>
/// The second step of a sign-in, whatever the code (RFC 6238 authenticator code or recovery code): Identity keeps
/// who passed the password step in its short-lived two-factor cookie; attempts are throttled like sign-ins and wrong
/// codes count towards the account's lockout; a refusal is audited as denied, a success as success, and a success
/// that cannot be put on record is undone (signed out, 503): every access is audited or refused.
/// </summary>
internal sealed class SecondSignInStep(
    SignInManager<CustomerAccount> signIn,
    SignInThrottle throttle,
    PortalAudit audit,
    IStringLocalizer<AccountText> text)
{
    /// <summary>
    /// The page's form while a password step is pending, otherwise back to the first step. A sign-in that returns to
    /// an authorization request (<paramref name="returnUrl"/>) may lead on to that request's CRM (<see cref="PortalFormTarget"/>).
    /// </summary>
    public async Task<IActionResult> ShowAsync(PageModel page, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        await PortalFormTarget.AllowReturnToAuthorizationAsync(page.HttpContext, page.Url, returnUrl);
        return await signIn.GetTwoFactorAuthenticationUserAsync() is null ? page.RedirectToPage("/Account/Login") : page.Page();
    }

    /// <summary>
    /// Checks the posted code with <paramref name="signInWithCode"/> and records <paramref name="action"/>; the form
    /// again with <paramref name="wrongCode"/> (or the lockout) on a wrong code.
    /// </summary>
    public async Task<SecondStepResult> SignInAsync(
        PageModel page, string action, Func<Task<SignInResult>> signInWithCode, string wrongCode, ILogger logger, string? returnUrl)
    {
        ArgumentNullException.ThrowIfNull(page);
        ArgumentNullException.ThrowIfNull(signInWithCode);
        await PortalFormTarget.AllowReturnToAuthorizationAsync(page.HttpContext, page.Url, returnUrl);
        var account = await signIn.GetTwoFactorAuthenticationUserAsync();
        if (account is null)
        {
            return new SecondStepResult(page.RedirectToPage("/Account/Login"), null);
        }

        if (throttle.Refused(page.HttpContext, account.Id, page.ModelState, text["Too many attempts. Wait a minute, then try again."], logger)
            || !page.ModelState.IsValid)
        {
            return new SecondStepResult(page.Page(), null);
        }

        var cancellationToken = page.HttpContext.RequestAborted;
        var result = await signInWithCode();
        if (!result.Succeeded)
        {
            await audit.RecordAsync(account, action, AuditOutcomes.Denied, cancellationToken);
            page.ModelState.AddModelError(string.Empty, result.IsLockedOut ? text["Too many wrong codes: the account is locked for a while."] : wrongCode);
            return new SecondStepResult(page.Page(), null);
        }

        if (!await audit.RecordAsync(account, action, AuditOutcomes.Success, cancellationToken))
        {
            await signIn.SignOutAsync();
            return new SecondStepResult(new StatusCodeResult(StatusCodes.Status503ServiceUnavailable), null);
        }

        return new SecondStepResult(null, account);
    }
}
