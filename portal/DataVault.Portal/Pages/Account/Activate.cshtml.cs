using System.ComponentModel.DataAnnotations;
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

internal sealed class ActivateInput
{
    [Required(ErrorMessage = "Enter the e-mail address you will sign in with.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address like name@example.com.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Email { get; set; } = string.Empty;

    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Password { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter the password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    public string ConfirmPassword { get; set; } = string.Empty;
}

/// <summary>
/// Opens an invitation link: the customer chooses a sign-in address and password, the account is
/// linked to their subject, the link is used up, and they are signed in.
/// </summary>
internal sealed class ActivateModel(
    IAccountActivation activation,
    SignInManager<CustomerAccount> signIn,
    IOptions<AccountOptions> accounts,
    PortalAudit audit,
    ILogger<ActivateModel> logger) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Token { get; set; }

    [BindProperty]
    public ActivateInput Input { get; set; } = new();

    public bool LinkWorks { get; private set; }

    public int MinimumPasswordLength => accounts.Value.MinimumPasswordLength;

    public async Task<PageResult> OnGetAsync(CancellationToken cancellationToken)
    {
        LinkWorks = await activation.CanActivateAsync(Token, cancellationToken);
        return LinkWorks ? Page() : LinkDoesNotWork();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            LinkWorks = await activation.CanActivateAsync(Token, cancellationToken);
            return LinkWorks ? Page() : LinkDoesNotWork();
        }

        var result = await activation.ActivateAsync(Token, Input.Email, Input.Password, cancellationToken);
        switch (result.Outcome)
        {
            case ActivationOutcome.Activated:
                // The account exists now; signing in waits until the activation is on record.
                if (!await audit.RecordAsync(result.Account!, AuditActions.AccountActivate, AuditOutcomes.Success, cancellationToken))
                {
                    return StatusCode(StatusCodes.Status503ServiceUnavailable);
                }

                await signIn.SignInAsync(result.Account!, isPersistent: false);
                Log.Activated(logger, result.Account!.Id);
                return RedirectToPage("/Index");
            case ActivationOutcome.Rejected:
                foreach (var error in result.Errors)
                {
                    ModelState.AddModelError(string.Empty, error);
                }

                LinkWorks = true;
                return Page();
            default:
                return LinkDoesNotWork();
        }
    }

    private PageResult LinkDoesNotWork()
    {
        LinkWorks = false;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
