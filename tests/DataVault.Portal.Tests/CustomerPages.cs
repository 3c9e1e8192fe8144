using System.Net;
using System.Net.Http.Json;
using Microsoft.Data.Sqlite;

namespace DataVault.Portal.Tests;

/// <summary>A customer signed in to the portal, with the API client that created their subject.</summary>
internal sealed class SignedInCustomer(PortalBrowser browser, HttpClient api, string subjectId) : IDisposable
{
    public const string Password = "correct horse battery staple";

    public PortalBrowser Browser { get; } = browser;

    public HttpClient Api { get; } = api;

    public string SubjectId { get; } = subjectId;

    /// <summary>
    /// Creates a subject through the API with <paramref name="fields"/> (and an e-mail address of its own
    /// unless they name one), has the vault e-mail it an invitation, and signs in from the link that
    /// arrived: the account signs in with the subject's e-mail address on record.
    /// </summary>
    public static async Task<SignedInCustomer> CreateAsync(
        DataVaultApplication app, object fields, string? acceptLanguage = null, string clientId = "crm-eu", SmtpTestServer? smtp = null)
    {
        var api = await app.CreateClientAsync(clientId);
        var email = System.Text.Json.JsonSerializer.SerializeToElement(fields).TryGetProperty("email", out var given) ? given.GetString() : null;
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, email, smtp);
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields })).EnsureSuccessStatusCode();
        var browser = new PortalBrowser(app);
        if (acceptLanguage is not null)
        {
            browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(acceptLanguage);
        }

        await browser.ActivateAsync(activation, Password);
        return new SignedInCustomer(browser, api, subjectId);
    }

    /// <summary>The value of <paramref name="field"/> in an API read, or null when it was not released.</summary>
    public static string? FieldValue(System.Text.Json.JsonElement read, string field) =>
        read.GetProperty("fields").TryGetProperty(field, out var value) ? value.GetProperty("value").ToString() : null;

    /// <summary>Opens a page; its HTML with character references decoded, so tests compare plain text.</summary>
    public async Task<(HttpStatusCode Status, string Html)> GetAsync(string path)
    {
        var (status, html) = await Browser.GetAsync(path);
        return (status, WebUtility.HtmlDecode(html));
    }

    public static async Task<string> TextAsync(HttpResponseMessage response) =>
        WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

    /// <summary>The audit entries of this subject for <paramref name="action"/>, as JSON text (an officer's search).</summary>
    public static async Task<string> AuditAsync(DataVaultApplication app, string subjectId, string action)
    {
        using var officer = await app.CreateClientAsync("officer-desk", [Vault.Clients.Scopes.AuditRead], []);
        return await officer.GetStringAsync($"/api/v1/audit?subject={subjectId}&action={action}");
    }

    /// <summary>Holds an exclusive lock on the audit database, so no entry can be written until disposed.</summary>
    public static SqliteConnection LockAuditTrail(DataVaultApplication app)
    {
        var blocker = new SqliteConnection($"Data Source={app.AuditDatabasePath};Pooling=False");
        blocker.Open();
        using var begin = blocker.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        begin.ExecuteNonQuery();
        return blocker;
    }

    public static Dictionary<string, string> Form(params (string Name, string Value)[] fields) =>
        fields.ToDictionary(f => f.Name, f => f.Value);

    /// <summary>Posts a form of <paramref name="page"/> and expects the redirect back (PRG).</summary>
    public async Task<HttpResponseMessage> PostAsync(string page, string action, params (string Name, string Value)[] fields)
    {
        var response = await Browser.SubmitAsync(page, Form(fields), action);
        Assert.True(response.StatusCode is HttpStatusCode.Redirect or HttpStatusCode.OK, $"POST {action} answered {(int)response.StatusCode}.");
        return response;
    }

    public void Dispose()
    {
        Browser.Dispose();
        Api.Dispose();
    }
}
