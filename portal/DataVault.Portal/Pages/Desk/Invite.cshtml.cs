using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using DataVault.Portal.SelfService;
using DataVault.Vault.Subjects;
using DataVault.Vault;
using Microsoft.Extensions.Options;

namespace DataVault.Portal.Pages.Desk;

internal sealed class InviteInput
{
    [Required(ErrorMessage = "Enter the customer's subject id.")]
    [StringLength(64, ErrorMessage = "Use at most {1} characters.")]
    public string SubjectId { get; set; } = string.Empty;

    [Required(ErrorMessage = "Choose the identity document you checked.")]
    public string Evidence { get; set; } = string.Empty;

    [Required(ErrorMessage = "Enter the e-mail address the customer proved is theirs.")]
    [EmailAddress(ErrorMessage = "Enter an e-mail address like name@example.com.")]
    [StringLength(256, ErrorMessage = "Use at most {1} characters.")]
    public string Email { get; set; } = string.Empty;

    [Range(typeof(bool), "true", "true", ErrorMessage = "Confirm that you checked the customer's identity and address.")]
    public bool Checked { get; set; }
}

/// <summary>
/// An invitation made at the officer's desk, for a customer whose e-mail address is not on record (so
/// no client can invite them) or no longer theirs. The officer checks an identity document and that the
/// address is the customer's, and records the kind of document (never its number); the address becomes
/// the subject's e-mail address on record (a rectification, GDPR Art. 16, on the customer's request),
/// and the vault e-mails the link there, so the account signs in with it like any other. Each step is
/// recorded as the officer's before it is made: <c>subject.rectify</c> when the address changes, and
/// <c>invitation.create</c> with <c>identity:</c> naming the document kind.
/// </summary>
internal sealed class InviteModel(
    InvitationService invitations, SubjectService subjects, PortalAudit audit, PublicOrigin origin, IStringLocalizer<DeskText> text) : PageModel
{
    [BindProperty]
    public InviteInput Input { get; set; } = new();

    /// <summary>After a successful invitation: where it went (masked) and when its link expires.</summary>
    public CreatedInvitation? Sent { get; private set; }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        var evidenceKnown = IdentityEvidence.All.Contains(Input.Evidence, StringComparer.Ordinal);
        if (!evidenceKnown && !string.IsNullOrEmpty(Input.Evidence))
        {
            ModelState.AddModelError("Input.Evidence", text["Choose one of the identity documents listed."]);
        }

        // Empty fields bind as null, whatever the declared type says.
        var subjectId = Input.SubjectId?.Trim() ?? string.Empty;
        var fields = $"{InvitationService.EmailField},identity:{(evidenceKnown ? Input.Evidence : "none")}";
        var auditedSubject = SubjectId.IsWellFormed(subjectId) ? subjectId : null;
        if (!ModelState.IsValid)
        {
            return await audit.RecordAsync(User, AuditActions.InvitationCreate, AuditOutcomes.Invalid, cancellationToken, fields: fields, subjectId: auditedSubject)
                ? Page()
                : PortalAudit.Unavailable();
        }

        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.InvitationCreate,
            () => InviteAsync(subjectId, Input.Email.Trim(), cancellationToken),
            invited => invited.Outcome switch
            {
                InvitationOutcome.Created => AuditOutcomes.Success,
                InvitationOutcome.SubjectNotFound => AuditOutcomes.NotFound,
                InvitationOutcome.SubjectErased => AuditOutcomes.Gone,
                _ => AuditOutcomes.Invalid,
            },
            cancellationToken,
            fields: fields,
            subjectId: auditedSubject);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        var result = change.Result;
        switch (result.Outcome)
        {
            case InvitationOutcome.Created:
                Sent = result.Invitation;
                ModelState.Clear();
                Input = new InviteInput();
                return Page();
            case InvitationOutcome.SubjectNotFound:
                ModelState.AddModelError("Input.SubjectId", text["No customer with this subject id is known to this vault."]);
                break;
            case InvitationOutcome.SubjectErased:
                ModelState.AddModelError("Input.SubjectId", text["This customer's data was erased."]);
                break;
            case InvitationOutcome.AccountExists:
                ModelState.AddModelError("Input.SubjectId", text["This customer already has a portal account."]);
                break;
            default:
                ModelState.AddModelError("Input.Email", text["This address cannot be recorded as an e-mail address."]);
                break;
        }

        return Page();
    }

    /// <summary>Invites the customer at <paramref name="address"/>, first making it the address on record where it is not.</summary>
    /// <exception cref="AuditUnavailableException">The rectification of the address could not be put on record.</exception>
    private async Task<InvitationResult> InviteAsync(string subjectId, string address, CancellationToken cancellationToken)
    {
        var onRecord = await invitations.CompareAddressAsync(subjectId, address, cancellationToken);
        if (onRecord is AddressOnRecord.Different or AddressOnRecord.None)
        {
            // The customer proved this address is theirs: it becomes the address on record, the one the link goes to.
            onRecord = await RecordAddressAsync(subjectId, address, cancellationToken) switch
            {
                VaultOutcome.Ok => AddressOnRecord.Same,
                VaultOutcome.NotFound => AddressOnRecord.SubjectNotFound,
                VaultOutcome.Gone => AddressOnRecord.SubjectErased,
                _ => AddressOnRecord.InvalidAddress,
            };
        }

        return onRecord switch
        {
            AddressOnRecord.Same => await invitations.InviteAsync(subjectId, OfficerId(), Input.Evidence, PortalLinks.ActivationPage(origin), cancellationToken),
            AddressOnRecord.SubjectNotFound => new InvitationResult(InvitationOutcome.SubjectNotFound, null),
            AddressOnRecord.SubjectErased => new InvitationResult(InvitationOutcome.SubjectErased, null),
            _ => new InvitationResult(InvitationOutcome.NoEmailOnRecord, null),
        };
    }

    /// <summary>Makes <paramref name="address"/> the subject's e-mail address on record, recorded as the officer's rectification; the vault's outcome.</summary>
    /// <exception cref="AuditUnavailableException">
    /// The rectification could not be put on record: the invitation it belongs to is refused (503), with its own attempt on record.
    /// </exception>
    private async Task<VaultOutcome> RecordAddressAsync(string subjectId, string address, CancellationToken cancellationToken)
    {
        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.SubjectRectify,
            () => subjects.RectifyAsync(
                subjectId,
                new Dictionary<string, JsonElement> { [InvitationService.EmailField] = JsonSerializer.SerializeToElement(address) },
                Actor.Officer(User.AccountId()),
                cancellationToken),
            rectified => SelfServiceOutcomes.From(rectified.Outcome),
            cancellationToken,
            fields: InvitationService.EmailField,
            subjectId: subjectId);
        return change.Recorded
            ? change.Result.Outcome
            : throw new AuditUnavailableException("The rectification of the address on record could not be put on record.");
    }

    private string OfficerId() => User.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("A signed-in account has an id.");
}
