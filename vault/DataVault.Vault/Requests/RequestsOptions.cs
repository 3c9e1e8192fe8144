using System.ComponentModel.DataAnnotations;

namespace DataVault.Vault.Requests;

/// <summary>
/// Settings of data-subject requests (deadlines, identity codes), bound from the <c>Requests</c>
/// section and validated at start (<see cref="RequestsOptionsValidator"/>).
/// </summary>
public sealed class RequestsOptions
{
    public const string SectionName = "Requests";

    /// <summary>
    /// Public holidays on one date only, ISO 8601 <c>yyyy-MM-dd</c> (e.g. Easter Monday <c>2026-04-06</c>).
    /// Regulation (EEC, Euratom) No 1182/71 Art. 2(1) takes the public holidays of the Member State where the
    /// controller answers, so they are configured, not built in. Default: none.
    /// </summary>
    public IList<string> Holidays { get; } = [];

    /// <summary>Public holidays on the same date every year, <c>MM-dd</c> (e.g. <c>12-25</c>). Default: none.</summary>
    public IList<string> AnnualHolidays { get; } = [];

    /// <summary>An open request is flagged "due soon" when its due date is at most this many days away. Default: 7.</summary>
    [Range(0, 31)]
    public int DueSoonDays { get; set; } = 7;

    /// <summary>How long a one-time code sent to verify a requester's identity works. Default: 30 minutes.</summary>
    [Range(typeof(TimeSpan), "00:05:00", "1.00:00:00")]
    public TimeSpan IdentityCodeLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>Wrong entries of a code before it stops working (8 digits: 5 guesses in 10^8). Default: 5.</summary>
    [Range(1, 10)]
    public int IdentityCodeMaxAttempts { get; set; } = 5;

    /// <summary>How long a one-time link to download an export, e-mailed to fulfil a request, works. Default: 7 days.</summary>
    [Range(typeof(TimeSpan), "01:00:00", "30.00:00:00")]
    public TimeSpan ExportLinkLifetime { get; set; } = TimeSpan.FromDays(7);
}
