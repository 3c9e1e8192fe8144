using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using DataVault.Vault.Clients;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static DataVault.Testing.VaultApi;

namespace DataVault.Portal.Tests.Browser;

/// <summary>Steps the browser journeys share: a customer activated from an invitation, an officer signed in, and the portal's texts in a language.</summary>
internal static class Journeys
{
    public const string Password = "a long browser passphrase";

    /// <summary>
    /// Creates a subject (with <paramref name="fields"/>, default a first name and <paramref name="email"/>)
    /// through the API, has the vault e-mail it an invitation, and activates the link that arrived in
    /// <paramref name="window"/>; returns the subject id. The account signs in with the subject's e-mail on record.
    /// </summary>
    public static async Task<string> ActivateCustomerAsync(DataVaultApplication app, PortalWindow window, string email = "ana.browser@example.com", object? fields = null)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(window);
        using var api = await app.CreateClientAsync();
        var record = JsonSerializer.SerializeToElement(fields ?? new { given_name = "Ana", email });
        var address = record.GetProperty("email").GetString()!;
        app.Monitor.Remember(address);
        var created = await api.PostAsJsonAsync("/api/v1/subjects", new { fields = record });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var subjectId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
        var invited = await api.PostAsync($"/api/v1/subjects/{subjectId}/invitations", null);
        Assert.Equal(HttpStatusCode.Accepted, invited.StatusCode);
        var activation = DeliveredMail.InvitationLink(await DeliveredMail.WaitForEmlToAsync(app, address));
        app.Monitor.Remember(activation.Query["?token=".Length..]);

        var page = window.Page;
        await window.GotoAsync(activation.PathAndQuery, "activate");
        await window.FillSecretAsync(page.Locator("#Input_Password"), Password);
        await window.FillSecretAsync(page.Locator("#Input_ConfirmPassword"), Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "activated");
        await Assertions.Expect((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = "My data", Exact = true })).ToBeVisibleAsync();
        return subjectId;
    }

    /// <summary>Adds an officer with two-factor sign-in and signs them in in <paramref name="window"/>: password, then a code from the app.</summary>
    public static async Task<StaffAccount> SignInOfficerAsync(DataVaultApplication app, PortalWindow window, string email = PortalSignIns.OfficerEmail)
    {
        ArgumentNullException.ThrowIfNull(window);
        var officer = await PortalSignIns.AddOfficerAsync(app, email);
        var page = window.Page;
        await window.GotoAsync("/account/login", "login");
        await page.Locator("#Input_Email").FillAsync(officer.Email);
        await window.FillSecretAsync(page.Locator("#Input_Password"), officer.Password);
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "password");
        await page.Locator("#Input_Code").FillAsync(Totp.Code(officer.AuthenticatorKey!, DateTimeOffset.UtcNow));
        await window.SubmitAsync(page.Locator("main button[type=submit]"), "signed-in");
        await Assertions.Expect((await window.MenuAsync()).Locator("a[href='/desk/audit']")).ToBeVisibleAsync();
        return officer;
    }

    /// <summary>A customer (ana.pages@example.com, not yet activated) with consents given and withdrawn, reads by two systems (one abroad), a restriction and a Global Privacy Control objection.</summary>
    public static async Task<(string SubjectId, string ActivationPath)> CustomerWithAHistoryAsync(DataVaultApplication app)
    {
        using var api = await app.CreateClientAsync("crm-eu");
        var (subjectId, activation) = await PortalBrowser.InviteAsync(app, api, "ana.pages@example.com");
        (await api.PatchAsJsonAsync($"/api/v1/subjects/{subjectId}", new { fields = new { phone = "+34 600 123 456", interests = new[] { "books" } } })).EnsureSuccessStatusCode();
        app.Monitor.Remember("+34600123456");
        await RecordAsync(api, subjectId, "marketing-email", "given");
        await RecordAsync(api, subjectId, "analytics", "given");
        await RecordAsync(api, subjectId, "analytics", "withdrawn");
        await ReadAsync(api, subjectId, "marketing-email");
        await ReadAsync(api, subjectId, "service-delivery");
        using (var mailer = await app.CreateClientAsync("us-mailer", purposes: ["marketing-email"]))
        {
            await ReadAsync(mailer, subjectId, "marketing-email");
        }

        await using (var scope = app.Services.CreateAsyncScope())
        {
            var clients = scope.ServiceProvider.GetRequiredService<ClientService>();
            Assert.Equal(Vault.Subjects.VaultOutcome.Ok, (await clients.UpdateRecipientAsync("us-mailer", new("processor", "US", "SCC 2021/914"), CancellationToken.None)).Outcome);
        }

        using (var signal = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/subjects/{subjectId}/consents"))
        {
            signal.Headers.Add("Sec-GPC", "1");
            Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(signal)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await api.PostAsJsonAsync($"/api/v1/subjects/{subjectId}/restriction", new { reason = "accuracy contested" })).StatusCode);
        return (subjectId, activation);
    }

    /// <summary>The portal's text for <paramref name="english"/> in <paramref name="language"/>, from the resources of <paramref name="marker"/>.</summary>
    public static string Text(string marker, string english, string language)
    {
        if (language == "en")
        {
            return english;
        }

        var file = Path.Combine(TestPaths.RepositoryRoot, "portal", "DataVault.Portal", "Resources", "Localization", $"{marker}.{language}.resx");
        return XDocument.Load(file).Root!.Elements("data")
            .Where(d => (string?)d.Attribute("name") == english)
            .Select(d => (string?)d.Element("value"))
            .SingleOrDefault() ?? throw new InvalidOperationException($"{marker}.{language}.resx has no \"{english}\".");
    }
}
