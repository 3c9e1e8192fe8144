using System.Globalization;
using System.Security.Claims;
using DataVault.Policies;
using DataVault.Portal.AccountSafety;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.My;

/// <summary>The erasure form: the box that confirms the customer understands what erasure means.</summary>
internal sealed class EraseInput
{
    public bool Understood { get; set; }
}

/// <summary>A field as the erasure page names it: its title in the request's language and, when held, until when.</summary>
internal sealed record ErasureLine(string Title, DateTimeOffset? HeldUntil);

/// <summary>What the receipt page shows, once, in the response to the erasure itself.</summary>
internal sealed record ErasureReceiptView(string ReceiptId, DateTimeOffset ErasedAt, IReadOnlyList<ErasureLine> Erased, IReadOnlyList<ErasureLine> Held);

/// <summary>
/// "Erase my data" (GDPR Art. 17). Step 1 says what goes now and what the law keeps until when (from
/// the vault's own erasure plan); step 2 needs the box ticked, the password (and a current code when
/// two-factor sign-in is on) typed again (<see cref="Reauthentication"/>: a session left open is not enough
/// to erase someone), and the button pressed. Erasure goes
/// through the same <see cref="SubjectService.EraseAsync"/> as the API's <c>DELETE /subjects/{id}</c>,
/// audited the same way (attempted, then the outcome), and deletes the portal account with it.
/// </summary>
/// <remarks>
/// The receipt is rendered in the response to the POST itself, not behind a redirect: after erasure
/// there is no account and no session to tie a later request to, and anything that could be fetched
/// again (a URL, a cookie, TempData) would be one more copy of the erasure's details to protect and
/// expire. Answering the POST directly shows it exactly once, only to the browser that asked, and
/// keeps nothing. The response is marked <c>no-store</c>; re-sending the form fails its antiforgery
/// check, because the token belonged to the account that no longer exists.
/// </remarks>
internal sealed class EraseModel(
    SubjectService subjects,
    SignInManager<CustomerAccount> signIn,
    Reauthentication reauthentication,
    PortalAudit audit,
    PolicyCatalogue catalogue,
    IStringLocalizer<ErasureText> text) : PageModel
{
    /// <summary>Who the erasure receipt names as requester: the subject themself, through the portal.</summary>
    internal const string RequestedBy = "portal";

    [BindProperty]
    public EraseInput Input { get; set; } = new();

    [BindProperty]
    public ReauthenticationInput Confirm { get; set; } = new();

    /// <summary>Whether the form asks for a code from the authenticator app too.</summary>
    public bool TwoFactorEnabled { get; private set; }

    public IReadOnlyList<ErasureLine> ErasedNow { get; private set; } = [];

    public IReadOnlyList<ErasureLine> Held { get; private set; } = [];

    public ErasureReceiptView? Receipt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (await LoadPlanAsync(cancellationToken) is null || await signIn.UserManager.GetUserAsync(User) is not { } account)
        {
            return NotFound();
        }

        TwoFactorEnabled = account.TwoFactorEnabled;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var plan = await LoadPlanAsync(cancellationToken);
        if (plan is null)
        {
            return NotFound();
        }

        if (await signIn.UserManager.GetUserAsync(User) is not { } account)
        {
            return NotFound();
        }

        TwoFactorEnabled = account.TwoFactorEnabled;
        if (!Input.Understood)
        {
            ModelState.AddModelError("Input.Understood", text["Tick the box to confirm that you understand what erasure means."]);
            return Page();
        }

        switch (await reauthentication.ConfirmAsync(HttpContext, account, Confirm, ModelState, cancellationToken))
        {
            case ReauthenticationOutcome.Unavailable:
                return PortalAudit.Unavailable();
            case not ReauthenticationOutcome.Confirmed:
                return Page();
        }

        var subjectId = User.SubjectId();
        if (!await audit.RecordAsync(User, AuditActions.SubjectErase, AuditOutcomes.Attempted, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        var result = await subjects.EraseAsync(subjectId, RequestedBy, cancellationToken);
        var outcome = result.Outcome switch
        {
            VaultOutcome.Ok => AuditOutcomes.Success,
            VaultOutcome.Gone => AuditOutcomes.Gone,
            _ => AuditOutcomes.NotFound,
        };
        var recorded = await audit.RecordAsync(User, AuditActions.SubjectErase, outcome, cancellationToken);

        // The account went with the subject (AccountErasureStep): end the session whatever comes next,
        // and render the rest of this response as to a signed-out visitor.
        await signIn.SignOutAsync();
        HttpContext.User = new ClaimsPrincipal(new ClaimsIdentity());
        Response.Headers.CacheControl = "no-store";
        if (!recorded)
        {
            return PortalAudit.Unavailable();
        }

        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var receipt = result.Value!;
        var heldUntil = receipt.RetainedKeyGroups.ToDictionary(r => r.KeyGroup, r => r.RetainUntil, StringComparer.Ordinal);
        Receipt = new ErasureReceiptView(
            receipt.ReceiptId,
            receipt.ErasedAt,
            plan.Fields.Where(f => !heldUntil.ContainsKey(f.KeyGroup)).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), null)).ToList(),
            plan.Fields.Where(f => heldUntil.ContainsKey(f.KeyGroup)).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), heldUntil[f.KeyGroup])).ToList());
        return Page();
    }

    /// <summary>A date as the reader's language writes it.</summary>
    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("D", CultureInfo.CurrentCulture);

    private async Task<ErasurePlan?> LoadPlanAsync(CancellationToken cancellationToken)
    {
        var plan = await subjects.PlanErasureAsync(User.SubjectId(), cancellationToken);
        if (plan.Outcome != VaultOutcome.Ok)
        {
            return null;
        }

        ErasedNow = plan.Value!.Fields.Where(f => f.HeldUntil is null).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), null)).ToList();
        Held = plan.Value.Fields.Where(f => f.HeldUntil is not null).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), f.HeldUntil)).ToList();
        return plan.Value;
    }
}
