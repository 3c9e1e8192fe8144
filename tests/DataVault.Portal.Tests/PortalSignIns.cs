using System.Net;
using DataVault.Vault.Accounts;
using DataVault.Vault.Subjects;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace DataVault.Portal.Tests;

/// <summary>A staff account made for a test: its one-time password and, when two-factor sign-in is on, its authenticator key.</summary>
internal sealed record StaffAccount(string Id, string Email, string Password, string? AuthenticatorKey);

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

    /// <summary>
    /// Adds an officer account (as the CLI verb does) and, unless <paramref name="twoFactor"/> is false, turns
    /// two-factor sign-in on for it as the officer would in the portal (staff accounts need it for the desk).
    /// </summary>
    public static async Task<StaffAccount> AddOfficerAsync(DataVaultApplication app, string email = OfficerEmail, bool twoFactor = true)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var added = await scope.ServiceProvider.GetRequiredService<OfficerService>().AddAsync(email, AccountRoles.Officer, CancellationToken.None);
        Assert.Equal(VaultOutcome.Ok, added.Outcome);
        app.Monitor.Remember(added.Value!.Password);
        if (!twoFactor)
        {
            return new StaffAccount(added.Value.Officer.Id, email, added.Value.Password, null);
        }

        var users = scope.ServiceProvider.GetRequiredService<UserManager<CustomerAccount>>();
        var account = (await users.FindByIdAsync(added.Value.Officer.Id))!;
        Assert.True((await users.ResetAuthenticatorKeyAsync(account)).Succeeded);
        Assert.True((await users.SetTwoFactorEnabledAsync(account, true)).Succeeded);
        var key = (await users.GetAuthenticatorKeyAsync(account))!;
        app.Monitor.Remember(key);
        return new StaffAccount(account.Id, email, added.Value.Password, key);
    }

    /// <summary>Adds an officer with two-factor sign-in and signs <paramref name="browser"/> in as them (password, then a code).</summary>
    public static async Task<StaffAccount> OfficerAsync(DataVaultApplication app, PortalBrowser browser, string email = OfficerEmail)
    {
        var officer = await AddOfficerAsync(app, email);
        using var password = await browser.SignInAsync(officer.Email, officer.Password);
        Assert.Equal(HttpStatusCode.Redirect, password.StatusCode);
        Assert.StartsWith("/account/login-2fa", password.Headers.Location!.OriginalString, StringComparison.Ordinal);
        using var code = await browser.SubmitAsync("/account/login-2fa", new Dictionary<string, string> { ["Input.Code"] = Totp.Code(officer.AuthenticatorKey!, DateTimeOffset.UtcNow) });
        Assert.Equal(HttpStatusCode.Redirect, code.StatusCode);
        Assert.Equal("/", code.Headers.Location!.OriginalString);
        return officer;
    }
}
