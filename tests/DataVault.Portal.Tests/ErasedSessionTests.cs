using System.Net;
using Microsoft.AspNetCore.Mvc.Testing;

namespace DataVault.Portal.Tests;

/// <summary>
/// An erased customer is signed out everywhere at once: after an erasure by the API or in the portal,
/// every copy of the customer's session cookie (another device, another tab, a stolen copy) stops
/// opening any page at its next request, instead of showing the access history until the session's
/// next revalidation.
/// </summary>
public sealed class ErasedSessionTests
{
    private const string Password = "correct horse battery staple";

    private static readonly string[] SignedInPages = ["/my/access-log", "/my/data", "/my/consents", "/my/choices", "/my/export", "/my/erase", "/"];

    [Fact]
    public async Task CopiedSessionCookie_AfterErasureByTheApi_OpensNothing()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        using var copy = CopyOfTheSession(app, browser);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/my/access-log")).StatusCode);

        using (var erased = await api.DeleteAsync($"/api/v1/subjects/{subjectId}"))
        {
            Assert.True(erased.IsSuccessStatusCode, $"The erasure answered {(int)erased.StatusCode}.");
        }

        await AssertSignedOutAsync(copy);
        await AssertSignedOutAsync(browser.Http);
    }

    [Fact]
    public async Task CopiedSessionCookie_AfterErasureInThePortal_OpensNothing()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api);
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, Password);
        using var copy = CopyOfTheSession(app, browser);
        Assert.Equal(HttpStatusCode.OK, (await copy.GetAsync("/my/access-log")).StatusCode);

        using (var erased = await browser.SubmitAsync("/my/erase", new Dictionary<string, string> { ["Input.Understood"] = "true", ["Confirm.Password"] = Password }))
        {
            Assert.Equal(HttpStatusCode.OK, erased.StatusCode);
        }

        await AssertSignedOutAsync(copy);
    }

    [Fact]
    public async Task SessionCookie_OfAnotherCustomer_KeepsWorking_AfterAnErasure()
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (erasedId, erasedActivation) = await PortalBrowser.InviteAsync(app, api);
        var (_, keptActivation) = await PortalBrowser.InviteAsync(app, api);
        using var leaving = new PortalBrowser(app);
        using var staying = new PortalBrowser(app);
        await leaving.ActivateAsync(erasedActivation, Password);
        await staying.ActivateAsync(keptActivation, Password);

        using (var erased = await api.DeleteAsync($"/api/v1/subjects/{erasedId}"))
        {
            Assert.True(erased.IsSuccessStatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await staying.GetAsync("/my/access-log")).Status);
    }

    /// <summary>A second client that sends the browser's cookies as they are, without keeping any it is given.</summary>
    private static HttpClient CopyOfTheSession(DataVaultApplication app, PortalBrowser browser)
    {
        var copy = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, HandleCookies = false });
        var cookies = browser.Cookies.GetCookieHeader(browser.BaseAddress);
        Assert.Contains("DataVault.Portal=", cookies, StringComparison.Ordinal);
        copy.DefaultRequestHeaders.Add("Cookie", cookies);
        return copy;
    }

    private static async Task AssertSignedOutAsync(HttpClient client)
    {
        foreach (var page in SignedInPages)
        {
            using var response = await client.GetAsync(page);
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{page} answered {(int)response.StatusCode} to an erased customer's session.");
            Assert.StartsWith("/account/login", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }
    }
}
