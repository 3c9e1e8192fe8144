using System.Collections.Frozen;
using DataVault.Policies;
using DataVault.Policies.Decisions;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Accounts;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>What an officer types to record or lift a restriction or an objection.</summary>
internal sealed class DeskChoiceInput
{
    /// <summary>Why: kept with the event and shown to the customer.</summary>
    public string? Reason { get; set; }

    /// <summary>For lifting a restriction of a customer without an e-mail address on record: they were told another way (GDPR Art. 18(3)).</summary>
    public bool ToldOtherwise { get; set; }
}

/// <summary>An objection in force: to one purpose (its id and title), or to all processing (no id).</summary>
internal sealed record DeskObjection(string? PurposeId, string Title);

/// <summary>A consent-based purpose and where the customer's consent to it stands now.</summary>
internal sealed record DeskConsent(string Title, string State, bool Given, DateTimeOffset? Since, string? By);

/// <summary>An integrating system that received some of the customer's data, from the audit trail: for which purposes, which fields, and when last.</summary>
internal sealed record DeskRecipient(string Name, IReadOnlyList<string> Purposes, IReadOnlyList<string> Fields, DateTimeOffset LastAt);

/// <summary>What the officer typed to find a customer: an e-mail address, a phone number or a subject id.</summary>
internal sealed class DeskFindInput
{
    public string? Query { get; set; }
}

/// <summary>
/// The officer's desk for one customer. Found by e-mail address or phone number through the vault's blind
/// index (the same look-up as the API's, audited as the officer's <c>subject.lookup</c>; the address typed is
/// posted, never put in a URL, and never recorded), or opened by subject id. It shows where the customer
/// stands (restriction, portal account, consents), which systems received which of their data (from the audit
/// trail), and every access to their data in words, without a single value. The officer restricts processing,
/// lifts the restriction or lifts an objection (GDPR Art. 18, 21), with a written reason: clients cannot lift
/// what the customer or an officer decided (<see cref="ChoiceLifts"/>), and lifting a restriction tells the
/// customer by e-mail first (Art. 18(3)). Every view and change goes through the same services as the API and
/// is audited as the officer's: the view as <c>consent.read</c> and <c>audit.search</c>, a change as attempted,
/// then its outcome.
/// </summary>
internal sealed class SubjectModel(
    ConsentService consents,
    SubjectService subjects,
    AuditQueryService auditQueries,
    ClientService clients,
    OfficerService officers,
    UserManager<CustomerAccount> users,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    IStringLocalizer<DeskText> text,
    IStringLocalizer<SharedText> shared) : PageModel
{
    /// <summary>Entries of the access history per page.</summary>
    public const int HistoryPageSize = 25;

    /// <summary>The audit actions by which a customer exercises a right of theirs (GDPR Art. 15, 16, 18, 20, 21).</summary>
    private static readonly FrozenSet<string> CustomerRequests = FrozenSet.ToFrozenSet(
        [AuditActions.SubjectExport, AuditActions.SubjectRectify, AuditActions.RestrictionRecord, AuditActions.ObjectionRecord], StringComparer.Ordinal);

    /// <summary>The catalogue field a look-up without <c>@</c> searches.</summary>
    private const string PhoneField = "phone";

    /// <summary>The customer shown: from the address, or from the look-up form's <c>id</c>.</summary>
    [BindProperty(SupportsGet = true)]
    public string? SubjectId { get; set; }

    [BindProperty]
    public DeskChoiceInput Input { get; set; } = new();

    [BindProperty]
    public DeskFindInput Find { get; set; } = new();

    /// <summary>The customers found by the look-up, when it found more than one.</summary>
    public IReadOnlyList<string> Matches { get; private set; } = [];

    /// <summary>Whether a look-up was made and found nobody.</summary>
    public bool FoundNobody { get; private set; }

    /// <summary>The cursor of the access history's page: entries older than this sequence number.</summary>
    [BindProperty(SupportsGet = true)]
    public long? Before { get; set; }

    /// <summary>Which form an error belongs to: <c>restrict</c>, <c>lift-restriction</c> or <c>objection-{purpose}</c>.</summary>
    public string? FailedForm { get; private set; }

    /// <summary>What was just done, shown once after the redirect.</summary>
    [BindProperty(SupportsGet = true)]
    public string? Done { get; set; }

    public bool Found { get; private set; }

    public bool Restricted { get; private set; }

    /// <summary>Whether an e-mail address is on record, so the customer can be told before a restriction is lifted. Its value is not read here.</summary>
    public bool HasEmail { get; private set; }

    public IReadOnlyList<DeskObjection> Objections { get; private set; } = [];

    public IReadOnlyList<ChoiceHistoryLine> History { get; private set; } = [];

    /// <summary>Whether the customer has a portal account, and whether it has two-factor sign-in on; null when none.</summary>
    public bool? AccountTwoFactor { get; private set; }

    public IReadOnlyList<DeskConsent> Consents { get; private set; } = [];

    public IReadOnlyList<DeskRecipient> Recipients { get; private set; } = [];

    /// <summary>The rights the customer exercised themselves (GDPR Art. 15 to 21), newest first, each with how it ended.</summary>
    public IReadOnlyList<AuditEntry> Requests { get; private set; } = [];

    /// <summary>One page of the access history, newest first.</summary>
    public IReadOnlyList<AuditEntry> Accesses { get; private set; } = [];

    public long AccessCount { get; private set; }

    public long FirstAccessShown { get; private set; }

    /// <summary>The cursor of the next (older) page of the access history, when there may be one.</summary>
    public long? OlderAccesses { get; private set; }

    public DeskNames? Names { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        SubjectId is null ? Page() : await ShowAsync(cancellationToken);

    /// <summary>
    /// Finds a customer by what the officer typed: a subject id opens it; an address with <c>@</c> is looked up as
    /// an e-mail address, anything else as a phone number, through the blind index. One match opens the customer.
    /// </summary>
    public async Task<IActionResult> OnPostFindAsync(CancellationToken cancellationToken)
    {
        var query = Find.Query?.Trim();
        if (string.IsNullOrEmpty(query))
        {
            ModelState.AddModelError("Find.Query", text["Enter an e-mail address, a phone number or a subject id."]);
            return Page();
        }

        if (Vault.Subjects.SubjectId.IsWellFormed(query))
        {
            return Redirect($"/desk/subjects/{query}");
        }

        var field = query.Contains('@', StringComparison.Ordinal) ? InvitationService.EmailField : PhoneField;
        var found = await subjects.FindAsync(field, query, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.SubjectLookup, SelfServiceOutcomes.From(found.Outcome), cancellationToken, fields: field))
        {
            return PortalAudit.Unavailable();
        }

        if (found.Outcome != VaultOutcome.Ok)
        {
            ModelState.AddModelError("Find.Query", field == PhoneField
                ? text["This is neither an e-mail address nor a phone number with its country code, such as +34 600 123 456."]
                : text["This is not an e-mail address."]);
            return Page();
        }

        switch (found.Value!.Count)
        {
            case 1:
                return Redirect($"/desk/subjects/{found.Value[0]}");
            case 0:
                FoundNobody = true;
                break;
            default:
                Matches = found.Value;
                break;
        }

        return Page();
    }

    public Task<IActionResult> OnPostRestrictAsync(CancellationToken cancellationToken) =>
        ChangeAsync("restrict", AuditActions.RestrictionRecord, null, officer => consents.RestrictAsync(SubjectId!, Input.Reason, officer, cancellationToken), cancellationToken);

    public Task<IActionResult> OnPostLiftRestrictionAsync(CancellationToken cancellationToken) =>
        ChangeAsync(
            "lift-restriction",
            AuditActions.RestrictionLift,
            null,
            officer => consents.LiftRestrictionAsync(SubjectId!, Input.Reason, officer, Input.ToldOtherwise, cancellationToken),
            cancellationToken);

    /// <summary>Lifts the objection to <paramref name="purpose"/>, or to all processing when it is empty.</summary>
    public Task<IActionResult> OnPostLiftObjectionAsync(string? purpose, CancellationToken cancellationToken)
    {
        if (!string.IsNullOrEmpty(purpose) && !catalogue.Purposes.ContainsKey(purpose))
        {
            return Task.FromResult<IActionResult>(BadRequest());
        }

        var purposeId = string.IsNullOrEmpty(purpose) ? null : purpose;
        return ChangeAsync(
            $"objection-{purposeId ?? "all"}",
            AuditActions.ObjectionLift,
            purposeId,
            officer => consents.LiftObjectionAsync(SubjectId!, purposeId, ChoiceSources.Desk, Input.Reason, officer, cancellationToken),
            cancellationToken);
    }

    /// <summary>Records the change as attempted, makes it, records its outcome; on success back to the page, otherwise the page with the error by its form.</summary>
    private async Task<IActionResult> ChangeAsync(
        string form, string action, string? purposeId, Func<Actor, Task<VaultResult<bool>>> change, CancellationToken cancellationToken)
    {
        if (SubjectId is null || !Vault.Subjects.SubjectId.IsWellFormed(SubjectId))
        {
            return NotFound();
        }

        var made = await audit.RecordChangeAsync(
            User, action, () => change(Actor.Officer(User.AccountId())), result => SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: purposeId, subjectId: SubjectId);
        if (!made.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        switch (made.Result.Outcome)
        {
            case VaultOutcome.Ok:
                return Redirect($"/desk/subjects/{SubjectId}?done={form}");
            case VaultOutcome.Invalid:
                FailedForm = form;
                ModelState.AddModelError("Input.Reason", text["Give a reason of at most 500 characters, on one line, without control characters."]);
                break;
            case VaultOutcome.Refused:
                // The only refusal an officer meets: no address on record to tell the customer before lifting a restriction.
                FailedForm = form;
                ModelState.AddModelError("Input.ToldOtherwise", text["Tell the customer another way first, then tick the box to confirm that you did."]);
                break;
            default:
                return NotFound();
        }

        return await ShowAsync(cancellationToken);
    }

    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken)
    {
        var subjectId = SubjectId!;
        var wellFormed = Vault.Subjects.SubjectId.IsWellFormed(subjectId);
        var state = await consents.GetStateAsync(subjectId, null, cancellationToken);
        var history = state.Outcome == VaultOutcome.Ok ? await consents.GetChoiceHistoryAsync(subjectId, cancellationToken) : null;
        if (!await audit.RecordAsync(User, AuditActions.ConsentRead, SelfServiceOutcomes.From(state.Outcome), cancellationToken, subjectId: wellFormed ? subjectId : null))
        {
            return PortalAudit.Unavailable();
        }

        if (state.Outcome != VaultOutcome.Ok || history?.Outcome != VaultOutcome.Ok)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            return Page();
        }

        // The access history and the recipients come from the audit trail: reading it about this customer is a search of it.
        if (!await audit.RecordAsync(User, AuditActions.AuditSearch, AuditOutcomes.Success, cancellationToken, subjectId: subjectId))
        {
            return PortalAudit.Unavailable();
        }

        Found = true;
        Names = await DeskNames.LoadAsync(clients, officers, text, cancellationToken);
        Restricted = state.Value!.Restricted;
        HasEmail = await subjects.HoldsFieldAsync(subjectId, InvitationService.EmailField, cancellationToken);
        AccountTwoFactor = await users.Users.Where(u => u.SubjectId == subjectId).Select(u => (bool?)u.TwoFactorEnabled).SingleOrDefaultAsync(cancellationToken);
        Objections = (state.Value.ObjectsToAll ? [new DeskObjection(null, text["All processing"])] : Array.Empty<DeskObjection>())
            .Concat(state.Value.Purposes.Where(p => p.Objected && !state.Value.ObjectsToAll).Select(p => new DeskObjection(p.PurposeId, catalogue.PurposeTitle(p.PurposeId))))
            .ToList();
        Consents = state.Value.Purposes
            .Where(p => catalogue.Purposes.TryGetValue(p.PurposeId, out var purpose) && purpose.LawfulBasis == LawfulBasis.Consent)
            .Select(p => new DeskConsent(
                catalogue.PurposeTitle(p.PurposeId),
                DeskWords.Consent(p.State, text),
                p.State == EffectiveConsent.Given,
                p.LatestEvent?.OccurredAt,
                p.LatestEvent is { } latest ? By(latest.Actor) : null))
            .ToList();
        History = history.Value!.Select(Line).ToList();
        Recipients = await RecipientsAsync(subjectId, cancellationToken);
        Requests = await RequestsAsync(subjectId, cancellationToken);

        var accesses = new AuditQuery(SubjectId: subjectId, Before: Before is > 0 ? Before : null);
        Accesses = auditQueries.Search(accesses, HistoryPageSize);
        OlderAccesses = Accesses.Count == HistoryPageSize ? Accesses[^1].Sequence : null;
        AccessCount = auditQueries.Count(accesses with { Before = null });
        FirstAccessShown = accesses.Before is null ? 1 : AccessCount - auditQueries.Count(accesses) + 1;
        return Page();
    }

    /// <summary>Every system that was released some of the customer's data (reads for a purpose, exports), from the audit trail.</summary>
    private async Task<IReadOnlyList<DeskRecipient>> RecipientsAsync(string subjectId, CancellationToken cancellationToken)
    {
        var received = new Dictionary<string, (SortedSet<string> Purposes, SortedSet<string> Fields, DateTimeOffset LastAt)>(StringComparer.Ordinal);
        var reads = new AuditQuery(SubjectId: subjectId, Action: AuditActions.SubjectRead, Outcome: AuditOutcomes.Success);
        await foreach (var entry in auditQueries.StreamAsync(reads, cancellationToken))
        {
            var r = entry.Record;
            if (r.ActorType != AuditActors.Client || string.IsNullOrEmpty(r.Fields))
            {
                continue;
            }

            if (!received.TryGetValue(r.ActorId, out var seen))
            {
                // Entries stream newest first: the first one seen of a system is its latest.
                seen = received[r.ActorId] = (new SortedSet<string>(StringComparer.CurrentCulture), new SortedSet<string>(StringComparer.CurrentCulture), entry.OccurredAt);
            }

            if (r.PurposeId is { } purpose)
            {
                seen.Purposes.Add(catalogue.PurposeTitle(purpose));
            }

            foreach (var field in r.Fields.Split(','))
            {
                seen.Fields.Add(catalogue.FieldTitle(field));
            }
        }

        return received
            .Select(pair => new DeskRecipient(Names!.Client(pair.Key), [.. pair.Value.Purposes], [.. pair.Value.Fields], pair.Value.LastAt))
            .OrderBy(r => r.Name, StringComparer.CurrentCulture)
            .ToList();
    }

    /// <summary>
    /// What the customer asked for themselves, from the audit trail: a copy of their data (GDPR Art. 15, 20), a
    /// correction (Art. 16), a restriction (Art. 18), an objection (Art. 21). The portal answers each at once, so
    /// a request is its final entry (the one before it only says it was attempted); erasure (Art. 17) leaves no
    /// customer to show.
    /// </summary>
    private async Task<IReadOnlyList<AuditEntry>> RequestsAsync(string subjectId, CancellationToken cancellationToken)
    {
        var requests = new List<AuditEntry>();
        await foreach (var entry in auditQueries.StreamAsync(new AuditQuery(SubjectId: subjectId), cancellationToken))
        {
            if (entry.Record is { ActorType: AuditActors.Subject, Outcome: not AuditOutcomes.Attempted } r && CustomerRequests.Contains(r.Action))
            {
                requests.Add(entry);
            }
        }

        return requests;
    }

    /// <summary>Who recorded a consent event or a choice, by name.</summary>
    private string By(Actor actor) => actor.Type switch
    {
        Actor.SubjectType => text["The customer, in the privacy portal"],
        Actor.OfficerType => text["Officer {0}", Names!.Staff(actor.Id)],
        _ => Names!.Client(actor.Id),
    };

    private ChoiceHistoryLine Line(ChoiceEventView e) => ChoiceHistoryText.Line(
        e,
        (e.Actor.Type, e.Source) switch
        {
            (Actor.SubjectType, ChoiceSources.Gpc) => text["The customer's browser (Global Privacy Control)"],
            (_, ChoiceSources.Gpc) => text["The customer's browser (Global Privacy Control), relayed by {0}", Names!.Client(e.Actor.Id)],
            _ => By(e.Actor),
        },
        e.Reason,
        catalogue,
        shared);
}
