using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The officer's audit search: the filters of the audit API as a plain GET form, results newest
/// first in pages, a CSV export of the same filter (<see cref="AuditExportModel"/>), and "verify
/// integrity", which runs the API's verification and shows the last signed checkpoint. Each is
/// recorded as the officer's (<c>audit.search</c>, <c>audit.verify</c>) before anything is shown.
/// </summary>
internal sealed class AuditModel(AuditQueryService audit, PortalAudit trail, PolicyCatalogue catalogue, OfficerService staff, IStringLocalizer<DeskText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AuditFilter Filter { get; set; } = new();

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>Staff names by account id, for the entries a client made for a person.</summary>
    public IReadOnlyDictionary<string, string> People { get; private set; } = new Dictionary<string, string>();

    /// <summary>The cursor of the next (older) page, when there may be one.</summary>
    public long? Older { get; private set; }

    public AuditVerification? Verification { get; private set; }

    public AuditCheckpointStatus? LastCheckpoint { get; private set; }

    public IReadOnlyList<(string Id, string Title)> Purposes =>
        catalogue.Purposes.Keys.Order(StringComparer.Ordinal).Select(id => (id, catalogue.PurposeTitle(id))).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        var query = Filter.ToQuery(ModelState, text);
        if (!await trail.RecordAsync(User, AuditActions.AuditSearch, query is null ? AuditOutcomes.Invalid : AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        if (query is not null)
        {
            Entries = audit.Search(query, Filter.PageSize);
            People = Entries.Any(e => e.Record.OnBehalfOf is not null) ? await staff.StaffNamesAsync(cancellationToken) : People;
            Older = Entries.Count == Filter.PageSize ? Entries[^1].Sequence : null;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        var verification = audit.Verify();
        var checkpoint = audit.LastCheckpoint();
        if (!await trail.RecordAsync(User, AuditActions.AuditVerify, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        Verification = verification;
        LastCheckpoint = checkpoint;
        return Page();
    }
}
