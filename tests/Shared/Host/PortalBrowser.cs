using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace DataVault.Testing;

/// <summary>
/// A browser-like client of the portal: keeps cookies, does not follow redirects (tests check them),
/// and submits forms the way a browser does, with the antiforgery token read from the page. Every
/// address, password and link token it uses is handed to the app's <see cref="SensitiveValueMonitor"/>,
/// so a test fails if one of them reaches a log line or the audit trail.
/// </summary>
internal sealed partial class PortalBrowser : IDisposable
{
    private readonly DataVaultApplication _app;

    /// <param name="app">The application it browses.</param>
    /// <param name="baseAddress">Default: the app's; another lets a test act as a browser on another address, e.g. <c>https://portal.example</c>.</param>
    public PortalBrowser(DataVaultApplication app, Uri? baseAddress = null)
    {
        _app = app;
        BaseAddress = baseAddress ?? app.ClientOptions.BaseAddress;

        // No redirect handler: tests check redirects themselves.
        Http = app.CreateDefaultClient(BaseAddress, new CookieContainerHandler(Cookies));
    }

    public Uri BaseAddress { get; }

    /// <summary>The browser's cookies, e.g. to copy a session cookie elsewhere as an attacker would.</summary>
    public CookieContainer Cookies { get; } = new();

    public HttpClient Http { get; }

    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        using var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Opens <paramref name="pagePath"/>, then posts <paramref name="fields"/> with its antiforgery token to <paramref name="postPath"/> (default: the same page).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string pagePath, IReadOnlyDictionary<string, string> fields, string? postPath = null)
    {
        var (status, html) = await GetAsync(pagePath);
        Assert.True(status == HttpStatusCode.OK, $"GET {pagePath} answered {(int)status}.");
        return await PostAsync(postPath ?? pagePath, fields, AntiforgeryToken(html));
    }

    public Task<HttpResponseMessage> PostAsync(string path, IReadOnlyDictionary<string, string> fields, string? antiforgeryToken)
    {
        var form = new Dictionary<string, string>(fields);
        if (antiforgeryToken is not null)
        {
            form["__RequestVerificationToken"] = antiforgeryToken;
        }

        return Http.PostAsync(path, new FormUrlEncodedContent(form));
    }

    public static string AntiforgeryToken(string html)
    {
        var match = AntiforgeryField().Match(html);
        Assert.True(match.Success, "The page has no form with an antiforgery token.");
        return WebUtility.HtmlDecode(match.Groups[1].Value);
    }

    /// <summary>
    /// Creates a subject with <paramref name="email"/> on record (default: an address of its own) through
    /// the API, has the vault e-mail it an invitation, and reads the link from the message the vault
    /// delivered (the test host writes it as an <c>.eml</c> file, or <paramref name="smtp"/> received it
    /// when the host sends to one); the client never sees the link.
    /// </summary>
    public static async Task<SentInvitation> InviteAsync(DataVaultApplication app, HttpClient api, string? email = null, SmtpTestServer? smtp = null)
    {
        var address = email ?? $"customer.{Guid.NewGuid():N}@example.com";
        app.Monitor.Remember(address);
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = new { given_name = "Ana", email = address } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var invited = await api.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);
        Assert.Equal(HttpStatusCode.Accepted, invited.StatusCode);
        var message = smtp is null ? await DeliveredMail.WaitForEmlToAsync(app, address) : await smtp.WaitForMessageToAsync(address);
        var link = DeliveredMail.InvitationLink(message);
        app.Monitor.Remember(link.Query["?token=".Length..]);
        return new SentInvitation(subjectId, link.PathAndQuery, address);
    }

    /// <summary>Activates an invitation with a password; the browser ends up signed in (with the address the invitation went to).</summary>
    public async Task ActivateAsync(string activationPath, string password)
    {
        _app.Monitor.Remember(password);
        using var response = await SubmitAsync(activationPath, new Dictionary<string, string>
        {
            ["Input.Password"] = password,
            ["Input.ConfirmPassword"] = password,
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.OriginalString);
    }

    public Task<HttpResponseMessage> SignInAsync(string email, string password)
    {
        _app.Monitor.Remember(email);
        _app.Monitor.Remember(password);
        return SubmitAsync("/account/login", new Dictionary<string, string> { ["Input.Email"] = email, ["Input.Password"] = password });
    }

    public void Dispose() => Http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"", RegexOptions.CultureInvariant)]
    private static partial Regex AntiforgeryField();
}

/// <summary>An invitation the vault e-mailed: the subject, the path of the link that arrived, and the address it went to.</summary>
internal sealed record SentInvitation(string SubjectId, string ActivationPath, string Email)
{
    public void Deconstruct(out string subjectId, out string activationPath)
    {
        subjectId = SubjectId;
        activationPath = ActivationPath;
    }
}
