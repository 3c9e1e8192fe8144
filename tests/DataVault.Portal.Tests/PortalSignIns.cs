using System.Net;
using DataVault.Vault.Accounts;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>Signed-in portal users for tests: a customer activated from an invitation, and a compliance officer.</summary>
internal static class PortalSignIns
{
    public const string CustomerEmail = "ana@example.com";
    public const string CustomerPassword = "correct horse battery staple";
    public const string OfficerEmail = "olga.officer@example.com";

    /// <summary>Creates a subject through the API, activates its invitation in <paramref name="browser"/>; returns the subject id.</summary>
    public static async Task<string> CustomerAsync(DataVaultApplication app, PortalBrowser browser, string email = CustomerEmail)
    {
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, email);
        await browser.ActivateAsync(activation, CustomerPassword);
        return subjectId;
    }

    /// <summary>Adds an officer account (as the CLI verb does) and returns its e-mail address and one-time password.</summary>
    public static async Task<(string Email, string Password)> AddOfficerAsync(DataVaultApplication app, string email = OfficerEmail)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(email, AccountRoles.Officer, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
        app.Monitor.Remember(added.Value!.Password);
        return (email, added.Value.Password);
    }

    /// <summary>Adds an officer and signs <paramref name="browser"/> in as them.</summary>
    public static async Task OfficerAsync(DataVaultApplication app, PortalBrowser browser)
    {
        var (email, password) = await AddOfficerAsync(app);
        using var signedIn = await browser.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
    }
}
