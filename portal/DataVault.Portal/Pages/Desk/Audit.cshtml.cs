using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// The officer's audit search: the filters of the audit API as a plain GET form, results newest
/// first in pages that say which of the matches they show, a CSV export of the same filter
/// (<see cref="AuditExportModel"/>), and "verify integrity", which runs the API's verification and
/// shows the last signed checkpoint. Entries read in plain words: systems and staff by name, actions
/// and outcomes as words with their codes beside them. Each is recorded as the officer's
/// (<c>audit.search</c>, <c>audit.verify</c>) before anything is shown.
/// </summary>
internal sealed class AuditModel(
    AuditQueryService audit,
    PortalAudit trail,
    PolicyCatalogue catalogue,
    ClientService clients,
    OfficerService officers,
    IStringLocalizer<DeskText> text) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public AuditFilter Filter { get; set; } = new();

    public IReadOnlyList<AuditEntry> Entries { get; private set; } = [];

    /// <summary>How many entries match the filter in all.</summary>
    public long Matches { get; private set; }

    /// <summary>The place among the matches of the newest entry shown (1 on the first page).</summary>
    public long FirstShown { get; private set; }

    /// <summary>Names of the systems and staff the entries mention.</summary>
    public DeskNames? Names { get; private set; }

    /// <summary>The cursor of the next (older) page, when there may be one.</summary>
    public long? Older { get; private set; }

    public AuditVerification? Verification { get; private set; }

    public AuditCheckpointStatus? LastCheckpoint { get; private set; }

    public IReadOnlyList<(string Id, string Title)> Purposes =>
        catalogue.Purposes.Keys.Order(StringComparer.Ordinal).Select(id => (id, catalogue.PurposeTitle(id))).ToList();

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        Names = await DeskNames.LoadAsync(clients, officers, text, cancellationToken);
        var query = Filter.ToQuery(ModelState, text, Names);
        if (!await trail.RecordAsync(User, AuditActions.AuditSearch, query is null ? AuditOutcomes.Invalid : AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        if (query is not null)
        {
            Entries = audit.Search(query, Filter.PageSize);
            Older = Entries.Count == Filter.PageSize ? Entries[^1].Sequence : null;
            Matches = audit.Count(query with { Before = null });
            FirstShown = query.Before is null ? 1 : Matches - audit.Count(query) + 1;
        }

        return Page();
    }

    public async Task<IActionResult> OnPostVerifyAsync(CancellationToken cancellationToken)
    {
        Names = await DeskNames.LoadAsync(clients, officers, text, cancellationToken);
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
