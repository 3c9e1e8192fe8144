using System.Text.Json;
using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault.Audit;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.My;

/// <summary>One field the vault holds on the customer, as the "My data" page shows it.</summary>
internal sealed record HeldField(FieldDefinition Definition, string Title, string Value, JsonElement Raw, string Category, IReadOnlyList<string> Purposes, DateTimeOffset Since);

/// <summary>What the customer typed to correct one field; the subject is never part of it.</summary>
internal sealed class RectificationInput
{
    /// <summary>The field to correct; null when the form posted it empty.</summary>
    public string? Field { get; set; }

    public string? Value { get; set; }

    /// <summary>The chosen or typed items of a list field; an item posted empty binds as null.</summary>
    public List<string?> Values { get; set; } = [];
}

/// <summary>
/// "My data": every field the vault holds on the signed-in customer, in plain language, with its data
/// category, the purposes that may use it and since when; and correction of a field (GDPR Art. 16)
/// through <see cref="SubjectService.RectifyAsync"/>, the API's own validation and write path.
/// Showing the values is a read by the subject: it is audited first, or refused.
/// </summary>
internal sealed class DataModel(
    SubjectService subjects,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    IStringLocalizer<MyDataText> T) : PageModel
{
    /// <summary>The field whose correction form is open (a catalogue field name, never a subject).</summary>
    [BindProperty(SupportsGet = true, Name = "edit")]
    public string? Edit { get; set; }

    /// <summary>The field just corrected, for the confirmation after the redirect.</summary>
    [BindProperty(SupportsGet = true, Name = "corrected")]
    public string? Corrected { get; set; }

    [BindProperty]
    public RectificationInput Input { get; set; } = new();

    public IReadOnlyList<HeldField> Fields { get; private set; } = [];

    public string? CorrectedTitle => Corrected is { } name && catalogue.Fields.ContainsKey(name) ? catalogue.FieldTitle(name) : null;

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken) =>
        await LoadAsync(cancellationToken) ?? Page();

    /// <summary>GDPR Art. 16: a new version of one field, recorded as attempted before it is written.</summary>
    public async Task<IActionResult> OnPostCorrectAsync(CancellationToken cancellationToken)
    {
        // Only a field the page offers: one the customer holds (completing other fields, such as those
        // kept under a legal obligation, is not a correction).
        if (Input.Field is null
            || !catalogue.Fields.TryGetValue(Input.Field, out var field)
            || !await subjects.HoldsFieldAsync(User.SubjectId(), field.Name, cancellationToken))
        {
            return BadRequest();
        }

        ModelState.Clear();
        Edit = field.Name;
        var subjectId = User.SubjectId();
        if (!await audit.RecordAsync(User, AuditActions.SubjectRectify, AuditOutcomes.Attempted, cancellationToken, fields: field.Name))
        {
            return PortalAudit.Unavailable();
        }

        var value = field.Type == FieldType.TextList
            ? JsonSerializer.SerializeToElement(Input.Values.OfType<string>().SelectMany(v => v.Split('\n')).Select(v => v.TrimEnd('\r')).Where(v => !string.IsNullOrWhiteSpace(v)).ToList())
            : JsonSerializer.SerializeToElement(Input.Value ?? string.Empty);
        var result = await subjects.RectifyAsync(subjectId, new Dictionary<string, JsonElement> { [field.Name] = value }, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.SubjectRectify, SelfServiceOutcomes.From(result.Outcome), cancellationToken, fields: field.Name))
        {
            return PortalAudit.Unavailable();
        }

        switch (result.Outcome)
        {
            case VaultOutcome.Ok:
                return RedirectToPage(new { corrected = field.Name });
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

    /// <summary>The value a correction form starts from: what was just typed after an error, else the stored value.</summary>
    public string CurrentText(HeldField field) =>
        Input.Field == field.Definition.Name && Input.Value is { } typed ? typed
        : field.Raw.ValueKind == JsonValueKind.String ? field.Raw.GetString()! : string.Empty;

    /// <summary>Whether a list item is chosen: as just submitted after an error, else as stored.</summary>
    public bool IsChosen(HeldField field, string item) =>
        Input.Field == field.Definition.Name
            ? Input.Values.Contains(item, StringComparer.Ordinal)
            : field.Raw.ValueKind == JsonValueKind.Array && field.Raw.EnumerateArray().Any(v => v.GetString() == item);

    /// <summary>Reads the customer's own fields and records the read; an answer when it cannot be shown.</summary>
    private async Task<IActionResult?> LoadAsync(CancellationToken cancellationToken)
    {
        var result = await subjects.GetAsync(User.SubjectId(), cancellationToken);
        var names = result.Value is { } held ? string.Join(',', held.Fields.Select(f => f.Name)) : null;
        if (!await audit.RecordAsync(User, AuditActions.SubjectRead, SelfServiceOutcomes.From(result.Outcome), cancellationToken, fields: names))
        {
            return PortalAudit.Unavailable();
        }

        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        Fields = catalogue.InDisplayOrder(result.Value!.Fields, f => f.Name)
            .Where(f => catalogue.Fields.ContainsKey(f.Name))
            .Select(f =>
            {
                var definition = catalogue.Fields[f.Name];
                return new HeldField(
                    definition,
                    definition.LocalTitle(),
                    FieldText.Display(definition, f.Value),
                    f.Value,
                    FieldText.Category(definition.DataCategory, T),
                    catalogue.Purposes.Values.Where(p => p.Fields.Contains(f.Name, StringComparer.Ordinal)).Select(p => p.LocalText().Title).ToList(),
                    f.UpdatedAt);
            })
            .ToList();
        if (Edit is not null && Fields.All(f => f.Definition.Name != Edit))
        {
            Edit = null;
        }

        return null;
    }
}
