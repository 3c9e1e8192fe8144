using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using DataVault.Vault.Clients;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Playwright;

namespace DataVault.Portal.Tests.Browser;

/// <summary>
/// A person using a CRM's screens, in a real chromium: the CRM sends the agent to the authorization
/// endpoint, the agent signs in and consents, the browser takes the code back to the CRM, the CRM's token
/// works on the API, and the officer's desk and the customer's access log name both the CRM and the agent.
/// </summary>
[Collection(SharedChromium.Name)]
public sealed class CodeFlowBrowserTests(ChromiumFixture chromium)
{

    [Fact]
    public async Task CodeFlow_AgentSignsInAndConsents_TheCrmsTokenWorks_AndTheAuditShowsThePerson()
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var agent = await CodeFlow.AddAgentAsync(app);
        await using var crmScreens = await CrmScreens.StartAsync();
        var secret = await CodeFlow.RegisterCrmAsync(app, "crm-ui", [Scopes.SubjectsRead], ["service-delivery"], crmScreens.RedirectUri);
        await using var customer = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CodeFlowBrowserTests), $"{nameof(CodeFlow_AgentSignsInAndConsents_TheCrmsTokenWorks_AndTheAuditShowsThePerson)}-customer");
        var subjectId = await Journeys.ActivateCustomerAsync(app, customer);

        // Script off, so the portal's Content-Security-Policy is in force: its form-action must let the
        // consent's answer go on to the CRM, on another origin.
        await using var window = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CodeFlowBrowserTests), nameof(CodeFlow_AgentSignsInAndConsents_TheCrmsTokenWorks_AndTheAuditShowsThePerson), javaScript: false);
        var page = window.Page;
        var (verifier, challenge) = CodeFlow.Pkce();

        await window.GotoAsync(CodeFlow.AuthorizePath("crm-ui", "subjects.read", challenge, redirectUri: crmScreens.RedirectUri), "sign-in");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        await page.Locator("#Input_Email").FillAsync(agent.Email);
        await window.FillSecretAsync(page.Locator("#Input_Password"), agent.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "password");
        await page.Locator("#Input_Code").FillAsync(Totp.Code(agent.AuthenticatorKey, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "consent");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Let CRM crm-ui act for you");
        await Assertions.Expect(page.GetByRole(AriaRole.Main)).ToContainTextAsync("Read customer records and look customers up");
        await window.SubmitAsync(page.GetByRole(AriaRole.Button, new() { Name = "Allow" }), "back-at-the-crm");

        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Back in the CRM");
        var answer = CodeFlow.Parameters(new Uri(page.Url));
        Assert.Equal("crm-state-1", answer["state"]);
        app.Monitor.Remember(answer["code"]);
        var tokens = await CodeFlow.TokensAsync(app, await CodeFlow.ExchangeCodeAsync(app, "crm-ui", secret, answer["code"], verifier, crmScreens.RedirectUri));
        using (var crm = app.CreateMonitoredClient())
        {
            crm.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
            Assert.Equal(HttpStatusCode.OK, (await crm.GetAsync($"/api/v1/subjects/{subjectId}?purpose=service-delivery")).StatusCode);
        }

        // The officer sees the CRM and the person behind the call.
        await using var officer = await PortalWindow.OpenAsync(chromium.Browser, app, nameof(CodeFlowBrowserTests), $"{nameof(CodeFlow_AgentSignsInAndConsents_TheCrmsTokenWorks_AndTheAuditShowsThePerson)}-officer");
        await Journeys.SignInOfficerAsync(app, officer);
        await officer.GotoAsync($"/desk/audit?subject={subjectId}", "desk-audit");
        await Assertions.Expect(officer.Page.Locator("table.audit-results tbody tr").First).ToContainTextAsync("by J. Smith");

        // So does the customer.
        await customer.GotoAsync("/my/access-log", "access-log");
        await Assertions.Expect(customer.Page.GetByRole(AriaRole.Table)).ToContainTextAsync("CRM crm-ui, by J. Smith");
    }

    [Theory]
    [InlineData("en")]
    [InlineData("es")]
    [InlineData("ca")]
    [InlineData("it")]
    [InlineData("et")]
    public async Task ConsentPage_OnAPhoneInEachLanguage_FitsAndIsAccessible(string language)
    {
        await using var app = new DataVaultApplication();
        app.StartOnLoopback();
        var agent = await CodeFlow.AddAgentAsync(app);
        await CodeFlow.RegisterCrmAsync(app, "crm-ui", Scopes.All);
        await using var window = await PortalWindow.OpenAsync(
            chromium.Browser, app, nameof(CodeFlowBrowserTests), $"{nameof(ConsentPage_OnAPhoneInEachLanguage_FitsAndIsAccessible)}-{language}", acceptLanguage: language);
        var page = window.Page;
        await page.SetViewportSizeAsync(390, 844);
        var (_, challenge) = CodeFlow.Pkce();

        await window.GotoAsync(CodeFlow.AuthorizePath("crm-ui", string.Join(' ', Scopes.All) + " offline_access", challenge), "sign-in");
        await page.Locator("#Input_Email").FillAsync(agent.Email);
        await window.FillSecretAsync(page.Locator("#Input_Password"), agent.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "password");
        await page.Locator("#Input_Code").FillAsync(Totp.Code(agent.AuthenticatorKey, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "consent");

        await Assertions.Expect(page.Locator("html")).ToHaveAttributeAsync("lang", language);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 }))
            .ToHaveTextAsync(string.Format(System.Globalization.CultureInfo.InvariantCulture, Journeys.Text("ConsentText", "Let {0} act for you", language), "CRM crm-ui"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 390, "The consent page is wider than a 390 px phone.");
    }

    /// <summary>
    /// The CRM's own screens on another origin (a loopback port of their own), where the browser brings
    /// the code back. A real server, not an intercepted request: the browser must really be let through
    /// to another origin after submitting the consent form.
    /// </summary>
    private sealed class CrmScreens : IAsyncDisposable
    {
        private const string Page = """<!DOCTYPE html><html lang="en"><head><title>CRM</title></head><body><main><h1>Back in the CRM</h1></main></body></html>""";

        private readonly WebApplication _app;

        private CrmScreens(WebApplication app, string redirectUri)
        {
            _app = app;
            RedirectUri = redirectUri;
        }

        public string RedirectUri { get; }

        public static async Task<CrmScreens> StartAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            var app = builder.Build();
            app.MapGet("/crm/callback", () => Results.Content(Page, "text/html"));
            await app.StartAsync();
            return new CrmScreens(app, app.Urls.Single() + "/crm/callback");
        }

        public async ValueTask DisposeAsync() => await _app.DisposeAsync();
    }
}
