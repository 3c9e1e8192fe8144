using System.Globalization;
using System.Text.Encodings.Web;
using DataVault.Policies;
using DataVault.Vault.Mail;

namespace DataVault.Vault.Accounts;

/// <summary>
/// The e-mail that carries an invitation link, in the subject's preferred language when the portal
/// speaks it (English otherwise). It names no personal data: the recipient already has their address,
/// and the link is what the message is for. The link is a bearer secret until used, which is why the
/// mail channel stores the message only protected.
/// </summary>
internal static class InvitationMail
{
    /// <summary>The <see cref="OutgoingMail.Kind"/> of invitation messages, as the audit trail shows it.</summary>
    public const string Kind = "invitation";

    private static readonly Dictionary<string, Texts> ByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] = new(
            "Your access to the privacy portal",
            "Hello,",
            "You can now see and manage the personal data {0} holds about you in its privacy portal: what is stored, who used it and why, your consents, and a copy or the erasure of your data.",
            "To set up your account, open this link and choose a password:",
            "Set up my account",
            "The link works once and expires on {0} (UTC). You will sign in with this e-mail address.",
            "If you did not expect this message, you can ignore it: nothing happens unless the link is opened."),
        ["es"] = new(
            "Tu acceso al portal de privacidad",
            "Hola:",
            "Ya puedes ver y gestionar en el portal de privacidad de {0} los datos personales que guarda sobre ti: qué se almacena, quién lo ha usado y para qué, tus consentimientos, y una copia o la supresión de tus datos.",
            "Para crear tu cuenta, abre este enlace y elige una contraseña:",
            "Crear mi cuenta",
            "El enlace solo funciona una vez y caduca el {0} (UTC). Iniciarás sesión con esta dirección de correo electrónico.",
            "Si no esperabas este mensaje, puedes ignorarlo: no ocurre nada si no se abre el enlace."),
        ["ca"] = new(
            "El teu accés al portal de privadesa",
            "Hola,",
            "Ja pots consultar i gestionar al portal de privadesa de {0} les dades personals que té sobre tu: què s'hi desa, qui les ha fet servir i per a què, els teus consentiments, i una còpia o la supressió de les teves dades.",
            "Per crear el teu compte, obre aquest enllaç i tria una contrasenya:",
            "Crear el meu compte",
            "L'enllaç només funciona una vegada i caduca el {0} (UTC). Iniciaràs la sessió amb aquesta adreça electrònica.",
            "Si no esperaves aquest missatge, pots ignorar-lo: no passa res si no s'obre l'enllaç."),
        ["it"] = new(
            "Il tuo accesso al portale della privacy",
            "Ciao,",
            "Ora puoi vedere e gestire nel portale della privacy di {0} i dati personali che conserva su di te: che cosa è memorizzato, chi lo ha usato e perché, i tuoi consensi, e una copia o la cancellazione dei tuoi dati.",
            "Per creare il tuo account, apri questo link e scegli una password:",
            "Crea il mio account",
            "Il link funziona una sola volta e scade il {0} (UTC). Accederai con questo indirizzo e-mail.",
            "Se non ti aspettavi questo messaggio, puoi ignorarlo: non succede nulla se il link non viene aperto."),
        ["et"] = new(
            "Sinu ligipääs privaatsusportaalile",
            "Tere!",
            "Nüüd saad {0} privaatsusportaalis vaadata ja hallata isikuandmeid, mida sinu kohta hoitakse: mis on salvestatud, kes neid kasutas ja miks, oma nõusolekuid ning andmete koopiat või kustutamist.",
            "Konto loomiseks ava see link ja vali parool:",
            "Loo minu konto",
            "Link töötab ühe korra ja aegub {0} (UTC). Sisse logid selle e-posti aadressiga.",
            "Kui sa seda sõnumit ei oodanud, võid selle tähelepanuta jätta: kui linki ei avata, ei juhtu midagi."),
    };

    /// <summary>The languages an invitation can be written in: the portal's.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>The invitation to <paramref name="to"/> with <paramref name="link"/>, from <paramref name="organisation"/>.</summary>
    public static OutgoingMail Compose(string to, string? preferredLanguage, string link, DateTimeOffset expiresAt, string organisation, string subjectId)
    {
        var language = preferredLanguage is not null && ByLanguage.ContainsKey(preferredLanguage) ? preferredLanguage : PolicyCatalogue.DefaultLanguage;
        var texts = ByLanguage[language];
        var expiry = expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);
        var introduction = string.Format(CultureInfo.InvariantCulture, texts.Introduction, organisation);
        var validity = string.Format(CultureInfo.InvariantCulture, texts.Validity, expiry);
        var text = string.Join(
            "\r\n\r\n",
            texts.Greeting,
            introduction,
            texts.Action + "\r\n" + link,
            validity,
            texts.Unexpected,
            organisation);
        var html = HtmlEncoder.Default;
        var body = string.Concat(
            $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{html.Encode(texts.Subject)}</title></head><body>",
            $"<p>{html.Encode(texts.Greeting)}</p>",
            $"<p>{html.Encode(introduction)}</p>",
            $"<p>{html.Encode(texts.Action)}</p>",
            $"<p><a href=\"{html.Encode(link)}\">{html.Encode(texts.Button)}</a></p>",
            $"<p>{html.Encode(validity)}</p>",
            $"<p>{html.Encode(texts.Unexpected)}</p>",
            $"<p>{html.Encode(organisation)}</p>",
            "</body></html>");
        return new OutgoingMail(to, texts.Subject, text, body, language, Kind, subjectId);
    }

    private sealed record Texts(string Subject, string Greeting, string Introduction, string Action, string Button, string Validity, string Unexpected);
}
