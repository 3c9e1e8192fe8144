using System.Text.Json;
using DataVault.Policies.Decisions;
using DataVault.Portal.SelfService;
using DataVault.Policies.Retention;
using DataVault.Vault.Consents;
using DataVault.Vault.Retention;
using DataVault.Vault.Subjects;

namespace DataVault.Portal.Pages.My;

/// <summary>The purposes that may use a field now, and those that would once the customer consents.</summary>
/// <param name="Now">Titles of the purposes that may use the field now.</param>
/// <param name="WaitingForConsent">Titles of the consent purposes that list it but have no current consent.</param>
/// <param name="MayBeAdded">
/// Whether the customer may add the field when missing: a purpose other than a legal obligation may use it now.
/// Data a law makes us keep (invoicing) comes from the transaction it records, and is kept after erasure; a
/// customer should never put it on a legal hold by typing it in.
/// </param>
internal sealed record FieldUses(IReadOnlyList<string> Now, IReadOnlyList<string> WaitingForConsent, bool MayBeAdded);

/// <summary>
/// One field the vault holds on the customer, as the "My data" page shows it, with how long it is kept and why in
/// words (<c>Kept</c>, GDPR Art. 13(2)(a)); null when no retention outlook applies to it.
/// </summary>
internal sealed record HeldField(FieldDefinition Definition, string Title, string Value, JsonElement Raw, string Category, FieldUses Uses, DateTimeOffset Since, string? Kept);

/// <summary>A field the customer has not given, which a purpose may use now: the customer may add it.</summary>
internal sealed record MissingField(FieldDefinition Definition, string Title, string Category, FieldUses Uses);

/// <summary>The input of one field's form (a correction or an addition), as the shared partial renders it.</summary>
internal sealed record FieldInputView(FieldDefinition Definition, string Legend, string CurrentText, IReadOnlyList<string> Chosen, string? Error);

/// <summary>What the customer typed to correct or add one field; the subject is never part of it.</summary>
internal sealed class RectificationInput
{
    /// <summary>The field to correct or add; null when the form posted it empty.</summary>
    public string? Field { get; set; }

    public string? Value { get; set; }

    /// <summary>The chosen or typed items of a list field; an item posted empty binds as null.</summary>
    public List<string?> Values { get; set; } = [];
}

/// <summary>
/// "My data": every field the vault holds on the signed-in customer, in the catalogue's order and in plain
/// language, with its data category, the purposes that may use it now (and those waiting for the customer's
/// consent) and since when; correction of a field and addition of a missing one that a purpose may use now
/// (GDPR Art. 16: "including by means of providing a supplementary statement"), both through
/// <see cref="SubjectService.RectifyAsync"/>, the API's own validation and write path. Which purposes may use
/// a field is the release rule itself (<see cref="ReleasePolicy"/>) on the customer's consents, objections
/// and restriction; how long each is kept, and why, is the vault's retention outlook (<see cref="RetentionEngine.OutlookAsync"/>),
/// the sweep's own rule. Showing the values is a read by the subject: it is audited first, or refused.
/// </summary>
internal sealed class DataModel(
    SubjectService subjects,
    ConsentService consents,
    PolicyCatalogue catalogue,
    RetentionEngine retention,
    PortalAudit audit,
    PeriodText periods,
    ControllerProfile controller,
    TimeProvider time,
    IStringLocalizer<MyDataText> T) : PageModel
{
    /// <summary>The field whose correction form is open (a catalogue field name, never a subject).</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public string? Edit { get; set; }

    /// <summary>The missing field whose form to add it is open.</summary>
    [BindProperty(SupportsGet = true, Name = "add")]
    public string? Add { get; set; }

    /// <summary>The field just corrected, for the confirmation after the redirect.</summary>
    [BindProperty(SupportsGet = true, Name = "corrected")]
    public string? Corrected { get; set; }

    /// <summary>The field just added, for the confirmation after the redirect.</summary>
    [BindProperty(SupportsGet = true, Name = "added")]
    public string? Added { get; set; }

    [BindProperty]
    public RectificationInput Input { get; set; } = new();

    public IReadOnlyList<HeldField> Fields { get; private set; } = [];

    public IReadOnlyList<MissingField> Missing { get; private set; } = [];

    /// <summary>Whether the customer restricted processing: then no purpose uses any field.</summary>
    public bool Restricted { get; private set; }

    public string? CorrectedTitle => Corrected is { } name && catalogue.Fields.ContainsKey(name) ? catalogue.FieldTitle(name) : null;

    public string? AddedTitle => Added is { } name && catalogue.Fields.ContainsKey(name) ? catalogue.FieldTitle(name) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    /// <summary>GDPR Art. 16: a new version of a field the customer holds.</summary>
    public async Task<IActionResult> OnPostCorrectAsync(CancellationToken cancellationToken)
    {
        // Only a field the page offers to correct: one the customer holds.
        if (Input.Field is null
            || !catalogue.Fields.TryGetValue(Input.Field, out var field)
            || !await subjects.HoldsFieldAsync(User.SubjectId(), field.Name, cancellationToken))
        {
            return BadRequest();
        }

        Edit = field.Name;
        return await WriteAsync(field, new { corrected = field.Name }, cancellationToken);
    }

    /// <summary>GDPR Art. 16 (completing incomplete data): a field the customer has not given, which a purpose may use now.</summary>
    public async Task<IActionResult> OnPostAddAsync(CancellationToken cancellationToken)
    {
        // Only a field the page offers to add: missing, and used now by a purpose (never data nobody may use, Art. 5(1)(c)).
        if (Input.Field is null
            || !catalogue.Fields.TryGetValue(Input.Field, out var field)
            || await subjects.HoldsFieldAsync(User.SubjectId(), field.Name, cancellationToken)
            || !Uses()[field.Name].MayBeAdded)
        {
            return BadRequest();
        }

        Add = field.Name;
        return await WriteAsync(field, new { added = field.Name }, cancellationToken);
    }

    /// <summary>The input of the correction or addition form of <paramref name="field"/>.</summary>
    public FieldInputView InputFor(FieldDefinition field, string title, JsonElement? stored)
    {
        var posted = Input.Field == field.Name;
        var text = posted && Input.Value is { } typed ? typed
            : stored is { ValueKind: JsonValueKind.String } value ? value.GetString()! : string.Empty;
        var chosen = posted ? Input.Values.OfType<string>().ToList()
            : stored is { ValueKind: JsonValueKind.Array } items ? items.EnumerateArray().Select(v => v.ToString()).ToList()
            : [];
        var errors = posted ? ViewData.ModelState["Input.Value"]?.Errors : null;
        return new FieldInputView(
            field,
            stored is null ? title : T["New value for {0}", title],
            text,
            chosen,
            errors is { Count: > 0 } ? string.Join(" ", errors.Select(e => e.ErrorMessage)) : null);
    }

    /// <summary>Writes one field, recorded as attempted before it is written; back to the page with the errors if invalid.</summary>
    private async Task<IActionResult> WriteAsync(FieldDefinition field, object confirmation, CancellationToken cancellationToken)
    {
        ModelState.Clear();
        var value = field.Type == FieldType.TextList
            ? JsonSerializer.SerializeToElement(Input.Values.OfType<string>().SelectMany(v => v.Split('\n')).Select(v => v.TrimEnd('\r')).Where(v => !string.IsNullOrWhiteSpace(v)).ToList())
            : JsonSerializer.SerializeToElement(Input.Value ?? string.Empty);
        var change = await audit.RecordChangeAsync(
            User,
            AuditActions.SubjectRectify,
            () => subjects.RectifyAsync(User.SubjectId(), new Dictionary<string, JsonElement> { [field.Name] = value }, Actor.Subject(User.SubjectId()), cancellationToken),
            written => SelfServiceOutcomes.From(written.Outcome),
            cancellationToken,
            fields: field.Name);
        if (!change.Recorded)
        {
            return PortalAudit.Unavailable();
        }

        var result = change.Result;
        switch (result.Outcome)
        {
            case VaultOutcome.Ok:
                return RedirectToPage(confirmation);
            case VaultOutcome.Invalid:
                foreach (var error in result.Errors.Values.SelectMany(e => e))
                {
                    ModelState.AddModelError("Input.Value", FieldText.Error(error, T));
                }

                return await LoadAsync(cancellationToken) ?? Page();
            default:
                return NotFound();
        }
    }

    /// <summary>Reads the customer's own fields and what may use them, and records both reads; an answer when it cannot be shown.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await subjects.GetAsync(User.SubjectId(), cancellationToken);
        var names = result.Value is { } held ? string.Join(',', held.Fields.Select(f => f.Name)) : null;
        if (!await audit.RecordAsync(User, AuditActions.SubjectRead, SelfServiceOutcomes.From(result.Outcome), cancellationToken, fields: names)
            || (result.Outcome == VaultOutcome.Ok && !await audit.RecordAsync(User, AuditActions.ConsentRead, AuditOutcomes.Success, cancellationToken)))
        {
            return PortalAudit.Unavailable();
        }

        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var uses = Uses();
        var outlook = (await retention.OutlookAsync(User.SubjectId(), cancellationToken) ?? []).ToDictionary(f => f.Field, StringComparer.Ordinal);
        var stored = result.Value!.Fields.Where(f => catalogue.Fields.ContainsKey(f.Name)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        Fields = catalogue.FieldsInOrder
            .Where(definition => stored.ContainsKey(definition.Name))
            .Select(definition =>
            {
                var field = stored[definition.Name];
                return new HeldField(
                    definition,
                    definition.LocalTitle(),
                    FieldText.Display(definition, field.Value),
                    field.Value,
                    FieldText.Category(definition.DataCategory, T),
                    uses[definition.Name],
                    field.UpdatedAt,
                    Restricted ? T["Kept while your restriction lasts."] : outlook.TryGetValue(definition.Name, out var kept) ? KeptText(kept) : null);
            })
            .ToList();
        Missing = catalogue.FieldsInOrder
            .Where(definition => !stored.ContainsKey(definition.Name) && uses[definition.Name].MayBeAdded)
            .Select(definition => new MissingField(definition, definition.LocalTitle(), FieldText.Category(definition.DataCategory, T), uses[definition.Name]))
            .ToList();
        if (Edit is not null && Fields.All(f => f.Definition.Name != Edit))
        {
            Edit = null;
        }

        if (Add is not null && Missing.All(f => f.Definition.Name != Add))
        {
            Add = null;
        }

        return null;
    }

    /// <summary>The retention rule's verdict on a field in the customer's words: until when, for which purpose, counted from what.</summary>
    private string KeptText(FieldRetention kept)
    {
        var purpose = kept.Verdict.PurposeId is { } id && catalogue.Purposes.TryGetValue(id, out var definition) ? definition.LocalText().Title : null;
        if (kept.Verdict.Destroy)
        {
            return T["To be destroyed shortly: the time we keep it for {0} has ended.", purpose ?? string.Empty];
        }

        if (kept.Verdict.KeepUntil is not { } until || kept.Retention is not { } period)
        {
            return purpose is null
                ? T["No purpose has started using it, so no retention period is running."]
                : T["Kept while {0} may use it.", purpose];
        }

        var date = controller.Date(until);
        var length = periods.InWords(period);
        return kept.BasisEnd switch
        {
            BasisEnd.RelationshipEnded => T["Kept until {0}, because of {1}: {2} after our relationship with you ended.", date, purpose!, length],
            BasisEnd.ObjectionUpheld => T["Kept until {0}, because of {1}: {2} after you objected.", date, purpose!, length],
            BasisEnd.RecordWritten => T["Kept until {0}, because of {1}: {2} from the record, as the law requires.", date, purpose!, length],
            _ => T["Kept until {0}, because of {1}: {2} after your consent ended.", date, purpose!, length],
        };
    }

    /// <summary>
    /// For every field of the catalogue, the purposes that may use it now and those waiting for the customer's
    /// consent: the release rule on the customer's consents, objections and restriction at this instant.
    /// </summary>
    private Dictionary<string, FieldUses> Uses()
    {
        var now = time.GetUtcNow();
        var subject = consents.ReadEvents(User.SubjectId()) ?? new SubjectEvents([], [], [], erased: true);
        var policy = subject.StateAt(now);
        var events = subject.Consents;
        Restricted = policy.Restricted;
        var usedNow = catalogue.Fields.Keys.ToDictionary(name => name, _ => new List<string>(), StringComparer.Ordinal);
        var waiting = catalogue.Fields.Keys.ToDictionary(name => name, _ => new List<string>(), StringComparer.Ordinal);
        var addable = new HashSet<string>(StringComparer.Ordinal);
        foreach (var purpose in catalogue.Purposes.Values.OrderBy(p => p.LocalText().Title, StringComparer.CurrentCulture))
        {
            var decision = ReleasePolicy.Decide(purpose, policy, events, purpose.Fields, now);
            var target = decision.Reason switch
            {
                null => usedNow,
                WithheldReason.NoConsent or WithheldReason.Expired => waiting,
                _ => null,
            };
            foreach (var field in purpose.Fields.Where(usedNow.ContainsKey))
            {
                target?[field].Add(purpose.LocalText().Title);
                if (decision.Reason is null && purpose.LawfulBasis != LawfulBasis.LegalObligation)
                {
                    addable.Add(field);
                }
            }
        }

        return catalogue.Fields.Keys.ToDictionary(name => name, name => new FieldUses(usedNow[name], waiting[name], addable.Contains(name)), StringComparer.Ordinal);
    }
}
