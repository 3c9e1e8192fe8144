using System.Security.Claims;
using System.Text;
using DataVault.Portal.AccountSafety;
using DataVault.Portal.SelfService;
using DataVault.Vault.Mail;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.Pages.My;

/// <summary>The erasure form: the box that confirms the customer understands what erasure means.</summary>
internal sealed class EraseInput
{
    public bool Understood { get; set; }
}

/// <summary>
/// "Erase my data" (GDPR Art. 17). Step 1 offers a copy of the data first (Art. 20, while there is still
/// something to copy), says what goes now and what the law keeps until when (from the vault's own erasure
/// plan), and what becomes of the account and of any contract; step 2 needs the box ticked, the password (and a
/// current code when two-factor sign-in is on) typed again (<see cref="Reauthentication"/>: a session left open is
/// not enough to erase someone), and the button pressed. Erasure goes through the same
/// <see cref="SubjectService.EraseAsync"/> as the API's <c>DELETE /subjects/{id}</c>, audited the same way
/// (attempted, then the outcome), and deletes the portal account with it. The receipt is shown once, offered as a
/// file to keep, and e-mailed to the address that was on record (<see cref="ErasureReceiptDocument"/>).
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
    IMailChannel mail,
    ControllerProfile controller,
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

    /// <summary>The receipt as a file to keep, once erased.</summary>
    public ErasureReceiptDocument? Document { get; private set; }

    /// <summary>
    /// The receipt file as a <c>data:</c> address, so that downloading it needs no request: after the erasure
    /// there is no session to tie one to, and nothing of the receipt is kept to serve.
    /// </summary>
    public string? DownloadUrl { get; private set; }

    /// <summary>Where the receipt was e-mailed, masked; null when there was no address on record.</summary>
    public string? MailedTo { get; private set; }

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
        string? address = null;
        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.SubjectErase,
            async () =>
            {
                // Read now: after the erasure there is no address left to send the receipt to.
                address = await subjects.ReadTextFieldAsync(subjectId, InvitationService.EmailField, cancellationToken);
                return await subjects.EraseAsync(subjectId, RequestedBy, Actor.Subject(subjectId), cancellationToken);
            },
            erased => erased.Outcome switch
            {
                VaultOutcome.Ok => AuditOutcomes.Success,
                VaultOutcome.Gone => AuditOutcomes.Gone,
                _ => AuditOutcomes.NotFound,
            },
            cancellationToken);
        if (!change.Made)
        {
            return PortalAudit.Unavailable();
        }

        var result = change.Result;

        // The account went with the subject (AccountErasureStep): end the session whatever comes next,
        // and render the rest of this response as to a signed-out visitor.
        await signIn.SignOutAsync();
        HttpContext.User = new ClaimsPrincipal(new ClaimsIdentity());
        Response.Headers.CacheControl = "no-store";
        if (!change.Recorded)
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
        Document = new ErasureReceiptDocument(Receipt, controller, text);
        DownloadUrl = "data:text/html;charset=utf-8;base64," + Convert.ToBase64String(Encoding.UTF8.GetBytes(Document.Html()));
        if (address is not null && await mail.SendAsync(Document.Mail(address), cancellationToken) is { Outcome: VaultOutcome.Ok } queued)
        {
            MailedTo = queued.Value!.MaskedRecipient;
        }

        return Page();
    }

    /// <summary>A date in the controller's time zone, as the reader's language writes it.</summary>
    public string Date(DateTimeOffset instant) => controller.Date(instant);

    /// <summary>A date and time in the controller's time zone.</summary>
    public string DateTime(DateTimeOffset instant) => $"{controller.DateTime(instant)} ({controller.TimeZoneName})";

    private async Task<ErasurePlan?> LoadPlanAsync(CancellationToken cancellationToken)
    {
        var planned = await subjects.PlanErasureAsync(User.SubjectId(), cancellationToken);
        if (planned.Outcome != VaultOutcome.Ok)
        {
            return null;
        }

        var plan = new ErasurePlan(catalogue.InDisplayOrder(planned.Value!.Fields, f => f.Field));
        ErasedNow = plan.Fields.Where(f => f.HeldUntil is null).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), null)).ToList();
        Held = plan.Fields.Where(f => f.HeldUntil is not null).Select(f => new ErasureLine(catalogue.FieldTitle(f.Field), f.HeldUntil)).ToList();
        return plan;
    }
}
