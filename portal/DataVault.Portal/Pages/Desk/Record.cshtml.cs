using System.Security.Cryptography;
using System.Text;
using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Vault.Audit;
using DataVault.Vault.Clients;
using DataVault.Vault.Consents;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.Desk;

/// <summary>A transfer to a third country: where, and what it rests on (GDPR Art. 30(1)(e), 45, 46).</summary>
internal sealed record RecordTransfer(string Recipient, string Country, string CountryCode, string Safeguard);

/// <summary>An integrating system as a recipient: its name, its category in words, the purposes it is allowed, its transfer if any.</summary>
internal sealed record RecordRecipient(string Name, string Category, IReadOnlyList<string> Purposes, RecordTransfer? Transfer);

/// <summary>One processing activity of the record: a purpose of the catalogue, in the request's language.</summary>
internal sealed record ProcessingActivity(
    string Id,
    string Title,
    string Description,
    string LawfulBasis,
    IReadOnlyList<string> DataCategories,
    IReadOnlyList<string> Fields,
    IReadOnlyList<string> RecipientCategories,
    IReadOnlyList<string> Recipients,
    IReadOnlyList<RecordTransfer> Transfers,
    string Retention);

/// <summary>A key group kept after an erasure request, and for how long (GDPR Art. 17(3)(b)).</summary>
internal sealed record LegalHold(IReadOnlyList<string> Fields, string Period);

/// <summary>
/// The record of processing activities (GDPR Art. 30(1)), kept by the controller and written in its voice: who
/// we are (the controller, its data protection officer, joint controllers and representative, from
/// <c>Controller:*</c>), every purpose of the catalogue with its lawful basis, the categories of data in words,
/// the categories of recipients and the systems that receive the data, transfers to third countries with their
/// safeguards (from each client's recipient facts), how long the data is kept, and the security measures the
/// vault applies to all of it. It carries a version (a digest of its content: any change to it is a new version)
/// and the date of the latest change it knows of. It names the integrating systems, so viewing it is recorded
/// (<see cref="AuditActions.RecordRead"/>) before it is shown.
/// </summary>
internal sealed class RecordModel(
    PolicyCatalogue catalogue,
    ClientService clients,
    ConsentService consents,
    ControllerProfile controller,
    PortalAudit audit,
    TimeProvider time,
    IStringLocalizer<DeskText> text,
    PeriodText periods) : PageModel
{
    public ControllerProfile Controller => controller;

    public IReadOnlyList<ProcessingActivity> Activities { get; private set; } = [];

    public IReadOnlyList<RecordRecipient> Recipients { get; private set; } = [];

    public IReadOnlyList<RecordTransfer> Transfers { get; private set; } = [];

    public IReadOnlyList<LegalHold> LegalHolds { get; private set; } = [];

    /// <summary>The first twelve hexadecimal digits of the SHA-256 of the record's content: it changes whenever the record does.</summary>
    public string Version { get; private set; } = string.Empty;

    /// <summary>The latest change the record knows the date of: purposes in force, systems registered or disabled, recipient facts.</summary>
    public DateTimeOffset? LastChanged { get; private set; }

    public DateTimeOffset GeneratedAt { get; private set; }

    public async Task<IActionResult> OnGetAsync(CancellationToken cancellationToken)
    {
        if (!await audit.RecordAsync(User, AuditActions.RecordRead, AuditOutcomes.Success, cancellationToken))
        {
            return PortalAudit.Unavailable();
        }

        GeneratedAt = time.GetUtcNow();
        var all = await clients.ListAsync(cancellationToken);
        var enabled = all.Where(c => c.IsEnabled).OrderBy(c => c.DisplayName, StringComparer.CurrentCulture).ToList();
        var facts = await clients.ListRecipientsAsync(cancellationToken);
        RecordTransfer? TransferOf(ClientInfo client) =>
            facts.GetValueOrDefault(client.Id) is { TransferCountry: { } country, TransferSafeguard: { } safeguard }
                ? new RecordTransfer(client.DisplayName, CountryNames.InWords(country), country, safeguard)
                : null;

        Recipients = enabled
            .Select(c => new RecordRecipient(
                c.DisplayName,
                Category(facts.GetValueOrDefault(c.Id)?.Category),
                c.AllowedPurposes.Where(catalogue.Purposes.ContainsKey).Select(catalogue.PurposeTitle).Order(StringComparer.CurrentCulture).ToList(),
                TransferOf(c)))
            .ToList();
        Transfers = Recipients.Where(r => r.Transfer is not null).Select(r => r.Transfer!).ToList();
        Activities = catalogue.Purposes.Values
            .OrderBy(p => p.Id, StringComparer.Ordinal)
            .Select(purpose =>
            {
                var receiving = enabled.Where(c => c.AllowedPurposes.Contains(purpose.Id, StringComparer.Ordinal)).ToList();
                return new ProcessingActivity(
                    purpose.Id,
                    purpose.LocalText().Title,
                    purpose.LocalText().Description,
                    DeskWords.LawfulBasis(purpose.LawfulBasis, text),
                    purpose.Fields.Select(f => DataCategory(catalogue.Fields[f].DataCategory)).Distinct(StringComparer.Ordinal).Order(StringComparer.CurrentCulture).ToList(),
                    purpose.Fields.Select(catalogue.FieldTitle).ToList(),
                    receiving.Select(c => Category(facts.GetValueOrDefault(c.Id)?.Category)).Distinct(StringComparer.Ordinal).Order(StringComparer.CurrentCulture).ToList(),
                    receiving.Select(c => c.DisplayName).ToList(),
                    receiving.Select(TransferOf).OfType<RecordTransfer>().ToList(),
                    periods.InWords(purpose.Retention));
            })
            .ToList();
        LegalHolds = catalogue.KeyGroups.Values
            .Where(g => g.RetainAfterErasure is not null)
            .OrderBy(g => g.Name, StringComparer.Ordinal)
            .Select(g => new LegalHold(
                catalogue.Fields.Values.Where(f => f.KeyGroup == g.Name).OrderBy(f => f.Name, StringComparer.Ordinal).Select(f => f.LocalTitle()).ToList(),
                periods.InWords(g.RetainAfterErasure!.Value)))
            .Where(h => h.Fields.Count > 0)
            .ToList();

        Version = VersionOf(enabled, facts);
        LastChanged = new[] { await consents.CatalogueInForceSinceAsync(cancellationToken) }
            .Concat(all.Select(c => (DateTimeOffset?)(c.DisabledAt ?? c.CreatedAt)))
            .Concat(facts.Values.Select(f => (DateTimeOffset?)f.UpdatedAt))
            .Max();
        return Page();
    }

    /// <summary>
    /// The digest of what the record says, independent of the reader's language: the controller and the parties
    /// beside it, each purpose's version, the systems allowed each purpose and what is recorded about them.
    /// </summary>
    private string VersionOf(IReadOnlyList<ClientInfo> enabled, IReadOnlyDictionary<string, ClientRecipient> facts)
    {
        var content = new StringBuilder();
        void Line(params string?[] parts) => content.AppendJoin('\u001f', parts.Select(p => p ?? string.Empty)).Append('\n');
        Line("controller", controller.Name, string.Join('|', controller.AddressLines), controller.ContactEmail, controller.DpoEmail);
        foreach (var (name, contact) in controller.JointControllers)
        {
            Line("joint", name, contact);
        }

        if (controller.Representative is { } representative)
        {
            Line("representative", representative.Name, representative.Contact);
        }

        foreach (var purpose in catalogue.Purposes.Values.OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            Line("purpose", purpose.Id, purpose.Version);
        }

        foreach (var client in enabled.OrderBy(c => c.Id, StringComparer.Ordinal))
        {
            var fact = facts.GetValueOrDefault(client.Id);
            Line("recipient", client.Id, client.DisplayName, string.Join(' ', client.AllowedPurposes.Order(StringComparer.Ordinal)), fact?.Category, fact?.TransferCountry, fact?.TransferSafeguard);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content.ToString())))[..12];
    }

    /// <summary>A category of recipients (GDPR Art. 30(1)(d)) in words.</summary>
    private string Category(string? category) => category switch
    {
        RecipientCategories.OwnSystem => text["Our own systems"],
        RecipientCategories.Processor => text["Processors acting on our behalf (GDPR Art. 28)"],
        RecipientCategories.ThirdParty => text["Third parties that decide themselves what they do with the data"],
        _ => text["Category not recorded yet"],
    };

    /// <summary>A data category of the catalogue (fideslang-like, <c>user.contact.email</c>) in words, by its family.</summary>
    private string DataCategory(string category) => category.Split('.') switch
    {
        [_, "contact", ..] => text["Contact details"],
        [_, "name", ..] => text["Names"],
        [_, "demographic", "date_of_birth", ..] => text["Date of birth"],
        [_, "demographic", "language", ..] => text["Language preference"],
        [_, "demographic", "profile", ..] => text["Interests and preferences"],
        [_, "demographic", ..] => text["Demographic details"],
        [_, "government_id", ..] => text["Official identification numbers"],
        [_, "financial", ..] => text["Financial details"],
        _ => category,
    };
}
