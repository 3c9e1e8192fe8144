using System.Net;
using DataVault.Vault.Accounts;
using DataVault.Vault.Subjects;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>Officer accounts for the desk tests, made as the <c>officers add</c> command makes them.</summary>
internal static class DeskTesting
{
    /// <summary>Creates an officer through the vault's service and signs <paramref name="browser"/> in with it; returns the account id.</summary>
    public static async Task<string> SignInOfficerAsync(DataVaultApplication app, PortalBrowser browser, string email = "officer@example.com")
    {
        await using var scope = app.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(email, AccountRoles.Officer, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
        using var signedIn = await browser.SignInAsync(email, added.Value!.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location!.OriginalString);
        return added.Value.Officer.Id;
    }
}
