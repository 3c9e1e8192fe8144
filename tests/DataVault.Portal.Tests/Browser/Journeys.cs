using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;

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
        await Assertions.Expect((await window.MenuAsync()).GetByRole(AriaRole.Link, new() { Name = "Audit trail" })).ToBeVisibleAsync();
        return officer;
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
