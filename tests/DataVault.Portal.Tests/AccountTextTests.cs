using System.Net;

namespace DataVault.Portal.Tests;

/// <summary>The account pages and their messages (including Identity's and the form validation's) in each language.</summary>
public sealed class AccountTextTests
{
    [Theory]
    [InlineData("en", "<h1>Sign in</h1>", "Passwords must be at least 12 characters.", "Use at most 256 characters.")]
    [InlineData("es", "<h1>Iniciar sesi\u00f3n</h1>", "Las contrase\u00f1as deben tener al menos 12 caracteres.", "Utiliza como m\u00e1ximo 256 caracteres.")]
    [InlineData("ca", "<h1>Inicia la sessi\u00f3</h1>", "Les contrasenyes han de tenir almenys 12 car\u00e0cters.", "Fes servir com a m\u00e0xim 256 car\u00e0cters.")]
    [InlineData("it", "<h1>Accedi</h1>", "Le password devono avere almeno 12 caratteri.", "Usa al massimo 256 caratteri.")]
    [InlineData("et", "<h1>Logi sisse</h1>", "Parool peab olema v\u00e4hemalt 12 m\u00e4rki pikk.", "Kasuta k\u00f5ige rohkem 256 m\u00e4rki.")]
    public async Task AccountPages_InTheBrowsersLanguage_ShowTranslatedTextsAndErrors(string language, string heading, string shortPassword, string tooLong)
    {
        await using var app = new DataVaultApplication();
        using var api = await app.CreateClientAsync();
        var (_, activation) = await PortalBrowser.InviteAsync(app, api);
        using var browser = new PortalBrowser(app);
        browser.Http.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);

        var (status, login) = await browser.GetAsync("/account/login");
        using var tooShort = await browser.SubmitAsync(activation, new Dictionary<string, string>
        {
            ["Input.Password"] = "too short",
            ["Input.ConfirmPassword"] = "too short",
        });
        using var overLong = await browser.SubmitAsync("/account/login", new Dictionary<string, string>
        {
            ["Input.Email"] = PortalSignIns.CustomerEmail,
            ["Input.Password"] = new string('x', 257),
        });

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(heading, WebUtility.HtmlDecode(login), StringComparison.Ordinal);
        Assert.Contains(shortPassword, WebUtility.HtmlDecode(await tooShort.Content.ReadAsStringAsync()), StringComparison.Ordinal);
        Assert.Contains(tooLong, WebUtility.HtmlDecode(await overLong.Content.ReadAsStringAsync()), StringComparison.Ordinal);
    }
}
