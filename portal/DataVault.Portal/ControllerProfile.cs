using System.Globalization;
using Microsoft.Extensions.Options;

namespace DataVault.Portal;

/// <summary>
/// The validated <see cref="ControllerOptions"/> as pages use them: the controller's name and contacts, its
/// logo read once from the host, and its time zone, in which the portal shows every time (exports and signed
/// receipts keep UTC).
/// </summary>
internal sealed class ControllerProfile
{
    /// <summary>The address the portal serves the logo at (same origin, so the pages' CSP stays as it is).</summary>
    public const string LogoPath = "/assets/logo";

    private readonly Lazy<byte[]?> _logo;

    public ControllerProfile(IOptions<ControllerOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        Name = settings.Name ?? string.Empty;
        AddressLines = (settings.Address ?? string.Empty).Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        ContactEmail = settings.ContactEmail ?? string.Empty;
        DpoEmail = settings.DpoEmail;
        SupervisoryAuthorityName = settings.SupervisoryAuthorityName;
        SupervisoryAuthorityUrl = settings.SupervisoryAuthorityUrl;
        PrivacyNoticeUrl = settings.PrivacyNoticeUrl;
        JointControllers = settings.JointControllers.Select(p => (p.Name!, p.Contact!)).ToList();
        Representative = settings.Representative is { } representative ? (representative.Name!, representative.Contact!) : null;
        TimeZone = TimeZoneInfo.FindSystemTimeZoneById(settings.TimeZone);
        TimeZoneName = settings.TimeZone;
        LogoContentType = settings.LogoPath is { } path ? ControllerOptionsValidator.LogoTypes[Path.GetExtension(path)] : null;
        _logo = new Lazy<byte[]?>(() => settings.LogoPath is { } file ? File.ReadAllBytes(Path.GetFullPath(file)) : null);
    }

    public string Name { get; }

    public IReadOnlyList<string> AddressLines { get; }

    public string ContactEmail { get; }

    public string? DpoEmail { get; }

    public string? SupervisoryAuthorityName { get; }

    public string? SupervisoryAuthorityUrl { get; }

    public string? PrivacyNoticeUrl { get; }

    /// <summary>The joint controllers (GDPR Art. 26) and how to reach them.</summary>
    public IReadOnlyList<(string Name, string Contact)> JointControllers { get; }

    /// <summary>The controller's representative in the Union (Art. 27), when it has one.</summary>
    public (string Name, string Contact)? Representative { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>The configured zone's id as the pages name it (<c>UTC</c>, <c>Europe/Madrid</c>): the same in every language.</summary>
    public string TimeZoneName { get; }

    public bool HasLogo => LogoContentType is not null;

    public string? LogoContentType { get; }

    public byte[]? Logo => _logo.Value;

    /// <summary>An instant in the controller's time zone.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);

    /// <summary>Date and time in the controller's time zone, unambiguous in every language: <c>2026-12-01 14:05</c>.</summary>
    public string DateTime(DateTimeOffset instant) => Local(instant).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    /// <summary>The date in the controller's time zone as the reader's language writes it in full.</summary>
    public string Date(DateTimeOffset instant) => Local(instant).ToString("D", CultureInfo.CurrentCulture);
}
