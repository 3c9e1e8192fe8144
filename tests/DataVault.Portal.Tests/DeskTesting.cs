namespace DataVault.Portal.Tests;

/// <summary>Officer accounts for the desk tests, made as the <c>officers add</c> command makes them, with two-factor sign-in on.</summary>
internal static class DeskTesting
{
    /// <summary>Creates an officer and signs <paramref name="browser"/> in with it; returns the account id.</summary>
    public static async Task<string> SignInOfficerAsync(DataVaultApplication app, PortalBrowser browser, string email = "officer@example.com") =>
        (await PortalSignIns.OfficerAsync(app, browser, email)).Id;
}
