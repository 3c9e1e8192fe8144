using System.Globalization;
using DataVault.Vault.Storage;
using DataVault.Vault.Subjects;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace DataVault.Vault.Clients;

/// <summary>Row of <c>client_recipients</c>: what the record of processing says about a client as a recipient of personal data.</summary>
internal sealed class ClientRecipientRecord
{
    public required string ClientId { get; init; }

    /// <summary>One of <see cref="RecipientCategories"/>, or null while nobody has said.</summary>
    public string? Category { get; set; }

    /// <summary>ISO 3166-1 alpha-2 code of the third country the client receives data in, or null.</summary>
    public string? TransferCountry { get; set; }

    /// <summary>What the transfer rests on (GDPR Art. 45 adequacy decision or an Art. 46 safeguard); set exactly when <see cref="TransferCountry"/> is.</summary>
    public string? TransferSafeguard { get; set; }

    public required DateTimeOffset UpdatedAt { get; set; }
}

/// <summary>The categories of recipients the record of processing names (GDPR Art. 30(1)(d)).</summary>
public static class RecipientCategories
{
    /// <summary>One of the controller's own systems (a CRM, a web shop).</summary>
    public const string OwnSystem = "own-system";

    /// <summary>A processor acting on the controller's behalf under a contract (Art. 28).</summary>
    public const string Processor = "processor";

    /// <summary>Another organisation that decides itself what it does with what it receives (a partner).</summary>
    public const string ThirdParty = "third-party";

    public static IReadOnlyList<string> All { get; } = [OwnSystem, Processor, ThirdParty];
}

/// <summary>A client as a recipient: its category and its transfer to a third country, when it has one.</summary>
public sealed record ClientRecipient(string ClientId, string? Category, string? TransferCountry, string? TransferSafeguard, DateTimeOffset UpdatedAt);

/// <summary>A change to what is recorded about a client as a recipient; null members are left as they are.</summary>
/// <param name="Category">One of <see cref="RecipientCategories"/>.</param>
/// <param name="TransferCountry">ISO 3166-1 alpha-2 code of a country outside the EEA; with <paramref name="TransferSafeguard"/>.</param>
/// <param name="TransferSafeguard">What the transfer rests on, e.g. <c>SCC 2021/914</c> or <c>Adequacy decision</c>.</param>
/// <param name="NoTransfer">The client no longer receives data outside the EEA: the transfer is cleared.</param>
public sealed record ClientRecipientChange(string? Category = null, string? TransferCountry = null, string? TransferSafeguard = null, bool NoTransfer = false)
{
    public bool IsEmpty => Category is null && TransferCountry is null && TransferSafeguard is null && !NoTransfer;
}

/// <summary>What the record of processing says about clients as recipients (GDPR Art. 30(1)(d) and (e)).</summary>
public sealed partial class ClientService
{
    /// <summary>
    /// The EU member states and the other EEA states (Iceland, Liechtenstein, Norway): data received there is
    /// not a transfer to a third country (GDPR Chapter V, EEA Agreement Annex XI).
    /// </summary>
    private static readonly HashSet<string> EeaCountries = new(StringComparer.Ordinal)
    {
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "DE", "GR", "HU", "IE", "IT", "LV", "LT", "LU",
        "MT", "NL", "PL", "PT", "RO", "SK", "SI", "ES", "SE", "IS", "LI", "NO",
    };

    /// <summary>Every client's recipient facts that have been recorded, by client id.</summary>
    public async Task<IReadOnlyDictionary<string, ClientRecipient>> ListRecipientsAsync(CancellationToken cancellationToken) =>
        (await db.ClientRecipients.AsNoTracking().ToListAsync(cancellationToken))
            .ToDictionary(r => r.ClientId, ToRecipient, StringComparer.Ordinal);

    /// <summary>Records <paramref name="change"/> for <paramref name="clientId"/>: invalid input names the option at fault, and changes nothing.</summary>
    public async Task<VaultResult<ClientRecipient>> UpdateRecipientAsync(string clientId, ClientRecipientChange change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        var errors = Validate(change);
        if (errors.Count > 0)
        {
            return VaultResult<ClientRecipient>.Invalid(errors);
        }

        if (!await db.Clients.AnyAsync(c => c.Id == clientId, cancellationToken))
        {
            return VaultResult<ClientRecipient>.NotFound();
        }

        var now = time.GetUtcNow();
        var record = await db.ClientRecipients.SingleOrDefaultAsync(r => r.ClientId == clientId, cancellationToken);
        if (record is null)
        {
            record = new ClientRecipientRecord { ClientId = clientId, UpdatedAt = now };
            db.ClientRecipients.Add(record);
        }

        record.Category = change.Category ?? record.Category;
        if (change.NoTransfer)
        {
            (record.TransferCountry, record.TransferSafeguard) = (null, null);
        }
        else if (change.TransferCountry is not null)
        {
            (record.TransferCountry, record.TransferSafeguard) = (change.TransferCountry.Trim().ToUpperInvariant(), change.TransferSafeguard!.Trim());
        }

        record.UpdatedAt = now;
        await db.SaveChangesAsync(cancellationToken);
        Log.ClientRecipientUpdated(logger, clientId, record.Category, record.TransferCountry);
        return VaultResult<ClientRecipient>.Ok(ToRecipient(record));
    }

    private static Dictionary<string, string[]> Validate(ClientRecipientChange change)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (change.Category is { } category && !RecipientCategories.All.Contains(category, StringComparer.Ordinal))
        {
            errors["category"] = [$"Unknown category. Known: {string.Join(", ", RecipientCategories.All)}."];
        }

        if (change.NoTransfer && (change.TransferCountry is not null || change.TransferSafeguard is not null))
        {
            errors["transferCountry"] = ["Give either a transfer (a country and its safeguard) or no transfer, not both."];
            return errors;
        }

        if ((change.TransferCountry is null) != (change.TransferSafeguard is null))
        {
            errors[change.TransferCountry is null ? "transferCountry" : "safeguard"] =
                ["A transfer to a third country names the country and the safeguard it rests on (GDPR Art. 45 or 46), both together."];
            return errors;
        }

        if (change.TransferCountry is { } country)
        {
            var code = country.Trim().ToUpperInvariant();
            if (!IsCountryCode(code))
            {
                errors["transferCountry"] = ["Must be an ISO 3166-1 alpha-2 country code, such as US or GB."];
            }
            else if (EeaCountries.Contains(code))
            {
                errors["transferCountry"] = [$"{code} is in the European Economic Area: data received there is not a transfer to a third country."];
            }
        }

        if (change.TransferSafeguard is { } safeguard
            && (string.IsNullOrWhiteSpace(safeguard) || safeguard.Trim().Length > 200 || safeguard.Any(char.IsControl)))
        {
            errors["safeguard"] = ["Must be 1-200 characters without control characters, e.g. \"SCC 2021/914\" or \"Adequacy decision\"."];
        }

        return errors;
    }

    /// <summary>Whether <paramref name="code"/> is an ISO 3166-1 alpha-2 code the platform knows a region for.</summary>
    private static bool IsCountryCode(string code)
    {
        if (code.Length != 2 || !code.All(char.IsAsciiLetterUpper))
        {
            return false;
        }

        try
        {
            return new RegionInfo(code).TwoLetterISORegionName == code;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static ClientRecipient ToRecipient(ClientRecipientRecord record) =>
        new(record.ClientId, record.Category, record.TransferCountry, record.TransferSafeguard, record.UpdatedAt);
}
