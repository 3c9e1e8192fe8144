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
    [Required(ErrorMessage = "Choose a password.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Password { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter the password again.")]
    [Compare(nameof(Password), ErrorMessage = "The two passwords are not the same.")]
    public string ConfirmPassword { get; set; } = string.Empty;
}

/// <summary>
/// Opens an invitation link: the customer chooses a password, the account is linked to their subject
/// and signs in with the e-mail address on record that the link was sent to (shown masked; nobody types
/// it, so whoever else got hold of the link cannot make it theirs), the link is used up, and they are
/// signed in.
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

    public bool LinkWorks => Pending is not null;

    /// <summary>The invitation the link opens, when it works.</summary>
    public PendingActivation? Pending { get; private set; }

    public int MinimumPasswordLength => accounts.Value.MinimumPasswordLength;

    public async Task<PageResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Pending = await activation.FindAsync(Token, cancellationToken);
        return LinkWorks ? Page() : LinkDoesNotWork();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!ModelState.IsValid)
        {
            Pending = await activation.FindAsync(Token, cancellationToken);
            return LinkWorks ? Page() : LinkDoesNotWork();
        }

        var result = await activation.ActivateAsync(Token, Input.Password, cancellationToken);
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

                Pending = await activation.FindAsync(Token, cancellationToken);
                return LinkWorks ? Page() : LinkDoesNotWork();
            default:
                return LinkDoesNotWork();
        }
    }

    private PageResult LinkDoesNotWork()
    {
        Pending = null;
        Response.StatusCode = StatusCodes.Status404NotFound;
        return Page();
    }
}
