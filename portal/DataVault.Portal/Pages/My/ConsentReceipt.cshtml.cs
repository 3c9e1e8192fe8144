using System.Text;
using DataVault.Policies;
using DataVault.Portal.Localization;
using DataVault.Portal.SelfService;
using DataVault.Vault;
using DataVault.Vault.Audit;
using DataVault.Vault.Consents;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace DataVault.Portal.Pages.My;

/// <summary>What a consent receipt says, in words, as the receipt page and its HTML download show it.</summary>
internal sealed record ReceiptFacts(
    string Id,
    string Controller,
    string Purpose,
    string Decision,
    string When,
    string WhenUtc,
    string How,
    bool Imported,
    string PurposeVersion,
    string NoticeLanguage,
    string? ExpiresAt,
    string? Evidence);

/// <summary>
/// One consent receipt of the signed-in customer (<c>/my/consents/receipt/{id}</c>): the decision in words
/// (what, when in the controller's time zone and in UTC, how, for which version of the purpose) with the
/// signed JWS beside it (ES256, verifiable with the published keys, GDPR Art. 7(1)), and both as downloads:
/// a self-contained web page (<c>?format=html</c>) and the JWS file (<c>?format=jws</c>). Only the customer's
/// own events are found; every view or download is audited as <c>consent.receipt</c>, or refused.
/// </summary>
internal sealed class ConsentReceiptModel(
    ConsentService consents,
    IConsentReceiptSigner receipts,
    PolicyCatalogue catalogue,
    PortalAudit audit,
    ControllerProfile controller,
    PublicOrigin origin,
    IStringLocalizer<MyConsentsText> T) : PageModel
{
    public ReceiptFacts Facts { get; private set; } = null!;

    /// <summary>The signed receipt (compact JWS).</summary>
    public string Jws { get; private set; } = string.Empty;

    /// <summary>Where anyone finds the keys that verify <see cref="Jws"/>.</summary>
    public string KeysUrl => origin.Combine("/.well-known/jwks.json");

    public async Task<IActionResult> OnGetAsync(string? id, string? format, CancellationToken cancellationToken)
    {
        // No id is no event of theirs: the vault answers not found, as for an id that is not theirs.
        var result = await consents.GetEventAsync(User.SubjectId(), id ?? string.Empty, cancellationToken);
        if (!await audit.RecordAsync(User, AuditActions.ConsentReceipt, SelfServiceOutcomes.From(result.Outcome), cancellationToken, purposeId: result.Value?.PurposeId))
        {
            return PortalAudit.Unavailable();
        }

        if (result.Outcome != VaultOutcome.Ok)
        {
            return NotFound();
        }

        var consent = result.Value!;
        Jws = await receipts.SignAsync(consent, cancellationToken);
        Facts = new ReceiptFacts(
            consent.Id,
            controller.Name,
            catalogue.PurposeTitle(consent.PurposeId),
            PurposeText.EventState(consent.State, T),
            $"{controller.DateTime(consent.OccurredAt)} ({controller.TimeZoneName})",
            consent.OccurredAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", System.Globalization.CultureInfo.InvariantCulture),
            PurposeText.Method(consent.CollectionMethod, T),
            consent.Imported,
            consent.PurposeVersion,
            PortalCultures.Codes.Contains(consent.NoticeLanguage) ? PortalCultures.NativeName(consent.NoticeLanguage) : consent.NoticeLanguage,
            consent.ExpiresAt is { } expires ? $"{controller.DateTime(expires)} ({controller.TimeZoneName})" : null,
            consent.Evidence);

        switch (format)
        {
            case "jws":
                return File(Encoding.ASCII.GetBytes(Jws), "application/jose", $"consent-receipt-{consent.Id}.jws");
            case "html":
                // A page that stands on its own once saved: its own styles, no link back to the portal's assets.
                Response.Headers.ContentDisposition = $"attachment; filename=\"consent-receipt-{consent.Id}.html\"";
                return Partial("_ConsentReceiptDocument", this);
            default:
                return Page();
        }
    }
}
