using System.Net;

namespace DataVault.Portal.Tests;

/// <summary>The officer's desk is for officers only: customers and anonymous visitors are turned away from every page.</summary>
public sealed class DeskAccessTests
{
    public static TheoryData<string> DeskPages => ["/desk/audit", "/desk/audit/export", "/desk/consents", "/desk/record", "/desk/invite", "/desk/subjects", "/desk/subjects/0198c8a4-0000-7000-8000-000000000000", "/desk/requests", "/desk/requests/counts", "/desk/requests/0198c8a4-0000-7000-8000-000000000000"];

    [Theory]
    [MemberData(nameof(DeskPages))]
    public async Task DeskPage_Anonymous_RedirectsToSignIn(string path)
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/account/login", Target(response).AbsolutePath);
    }

    [Theory]
    [MemberData(nameof(DeskPages))]
    public async Task DeskPage_Customer_IsRefused(string path)
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync("crm-eu");
        var (_, activation) = await PortalBrowser.InviteAsync(app, api, "customer@example.com");
        using var browser = new PortalBrowser(app);
        await browser.ActivateAsync(activation, "correct horse battery staple");

        using var response = await browser.Http.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", Target(response).AbsolutePath);
        var (_, home) = await browser.GetAsync("/");
        Assert.DoesNotContain("href=\"/desk/", home, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Home_Officer_LinksToEveryDeskPage()
    {
        await using var app = new DataVaultApplication();
        using var browser = new PortalBrowser(app);
        await DeskTesting.SignInOfficerAsync(app, browser);

        var (status, home) = await browser.GetAsync("/");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Compliance desk", home, StringComparison.Ordinal);
        foreach (var path in new[] { "/desk/audit", "/desk/consents", "/desk/record", "/desk/invite", "/desk/subjects", "/desk/requests" })
        {
            Assert.Contains($"href=\"{path}\"", home, StringComparison.Ordinal);
        }
    }

    private static Uri Target(HttpResponseMessage response) => new(new Uri("http://localhost"), response.Headers.Location!);
}
