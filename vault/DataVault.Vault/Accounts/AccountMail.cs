using System.Globalization;
using System.Text.Encodings.Web;
using DataVault.Policies;
using DataVault.Vault.Mail;

namespace DataVault.Vault.Accounts;

/// <summary>A change to the safety of an account that its holder is told about by e-mail.</summary>
public enum AccountChange
{
    PasswordChanged,
    TwoFactorEnabled,
    TwoFactorDisabled,
    RecoveryCodesGenerated,
    RecoveryCodeUsed,
}

/// <summary>
/// The e-mails about a portal account itself: the "forgot password" link, and the notice sent after each
/// change to how the account is protected (a new password, two-factor sign-in on or off, new recovery
/// codes, a recovery code used), so that a holder whose account is changed by someone else hears of it at
/// once (NIST SP 800-63B §6.1.2.3). In the portal's languages (English otherwise), in the register of the
/// portal's own pages. They name no personal data and no secret but the reset link, which is why the mail
/// channel stores messages only protected.
/// </summary>
internal static class AccountMail
{
    /// <summary>The <see cref="OutgoingMail.Kind"/> of a "forgot password" link, as the audit trail shows it.</summary>
    public const string PasswordResetKind = "password-reset";

    /// <summary>The <see cref="OutgoingMail.Kind"/> of a notice of an account change.</summary>
    public const string AccountChangeKind = "account-change";

    private static readonly Dictionary<string, Texts> ByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] = new(
            Greeting: "Hello,",
            ResetSubject: "Choose a new password for the privacy portal",
            ResetIntroduction: "Someone, probably you, asked to reset the password of your account in the privacy portal of {0}.",
            ResetAction: "To choose a new password, open this link:",
            ResetButton: "Choose a new password",
            ResetValidity: "The link works once and expires on {0} (UTC).",
            ResetUnexpected: "If you did not ask for this, ignore this message: your password stays as it is.",
            ChangeSubject: "Your privacy portal account was changed",
            ChangeWhen: "On {0} (UTC):",
            PasswordChanged: "the password of your account in the privacy portal of {0} was changed.",
            TwoFactorEnabled: "two-factor sign-in was turned on for your account in the privacy portal of {0}.",
            TwoFactorDisabled: "two-factor sign-in was turned off for your account in the privacy portal of {0}.",
            RecoveryCodesGenerated: "new recovery codes were made for your account in the privacy portal of {0}; the earlier ones no longer work.",
            RecoveryCodeUsed: "a recovery code was used to sign in to your account in the privacy portal of {0}. Each code works only once.",
            ChangeIfYou: "If this was you, there is nothing more to do.",
            ChangeIfNotYou: "If it was not you, choose a new password at once with \"Forgot your password?\" on the sign-in page, and tell us."),
        ["es"] = new(
            Greeting: "Hola:",
            ResetSubject: "Elige una nueva contraseña para el portal de privacidad",
            ResetIntroduction: "Alguien, probablemente tú, ha pedido restablecer la contraseña de tu cuenta en el portal de privacidad de {0}.",
            ResetAction: "Para elegir una nueva contraseña, abre este enlace:",
            ResetButton: "Elegir una nueva contraseña",
            ResetValidity: "El enlace solo funciona una vez y caduca el {0} (UTC).",
            ResetUnexpected: "Si no lo has pedido tú, ignora este mensaje: tu contraseña no cambia.",
            ChangeSubject: "Se ha cambiado tu cuenta del portal de privacidad",
            ChangeWhen: "El {0} (UTC):",
            PasswordChanged: "se cambió la contraseña de tu cuenta en el portal de privacidad de {0}.",
            TwoFactorEnabled: "se activó el inicio de sesión en dos pasos de tu cuenta en el portal de privacidad de {0}.",
            TwoFactorDisabled: "se desactivó el inicio de sesión en dos pasos de tu cuenta en el portal de privacidad de {0}.",
            RecoveryCodesGenerated: "se generaron nuevos códigos de recuperación para tu cuenta en el portal de privacidad de {0}; los anteriores ya no sirven.",
            RecoveryCodeUsed: "se usó un código de recuperación para iniciar sesión en tu cuenta del portal de privacidad de {0}. Cada código sirve una sola vez.",
            ChangeIfYou: "Si fuiste tú, no tienes que hacer nada más.",
            ChangeIfNotYou: "Si no fuiste tú, elige enseguida una nueva contraseña con «¿Has olvidado tu contraseña?» en la página de inicio de sesión, y avísanos."),
        ["ca"] = new(
            Greeting: "Hola,",
            ResetSubject: "Tria una contrasenya nova per al portal de privadesa",
            ResetIntroduction: "Algú, probablement tu, ha demanat restablir la contrasenya del teu compte al portal de privadesa de {0}.",
            ResetAction: "Per triar una contrasenya nova, obre aquest enllaç:",
            ResetButton: "Triar una contrasenya nova",
            ResetValidity: "L'enllaç només funciona una vegada i caduca el {0} (UTC).",
            ResetUnexpected: "Si no ho has demanat tu, ignora aquest missatge: la teva contrasenya no canvia.",
            ChangeSubject: "S'ha canviat el teu compte del portal de privadesa",
            ChangeWhen: "El {0} (UTC):",
            PasswordChanged: "es va canviar la contrasenya del teu compte al portal de privadesa de {0}.",
            TwoFactorEnabled: "es va activar l'inici de sessió en dos passos del teu compte al portal de privadesa de {0}.",
            TwoFactorDisabled: "es va desactivar l'inici de sessió en dos passos del teu compte al portal de privadesa de {0}.",
            RecoveryCodesGenerated: "es van generar codis de recuperació nous per al teu compte al portal de privadesa de {0}; els anteriors ja no serveixen.",
            RecoveryCodeUsed: "es va fer servir un codi de recuperació per iniciar la sessió al teu compte del portal de privadesa de {0}. Cada codi serveix una sola vegada.",
            ChangeIfYou: "Si vas ser tu, no has de fer res més.",
            ChangeIfNotYou: "Si no vas ser tu, tria de seguida una contrasenya nova amb «Has oblidat la contrasenya?» a la pàgina d'inici de sessió, i avisa'ns."),
        ["it"] = new(
            Greeting: "Ciao,",
            ResetSubject: "Scegli una nuova password per il portale della privacy",
            ResetIntroduction: "Qualcuno, probabilmente tu, ha chiesto di reimpostare la password del tuo account nel portale della privacy di {0}.",
            ResetAction: "Per scegliere una nuova password, apri questo link:",
            ResetButton: "Scegli una nuova password",
            ResetValidity: "Il link funziona una sola volta e scade il {0} (UTC).",
            ResetUnexpected: "Se non l'hai chiesto tu, ignora questo messaggio: la tua password resta quella di prima.",
            ChangeSubject: "Il tuo account del portale della privacy è stato modificato",
            ChangeWhen: "Il {0} (UTC):",
            PasswordChanged: "è stata cambiata la password del tuo account nel portale della privacy di {0}.",
            TwoFactorEnabled: "è stato attivato l'accesso in due passaggi per il tuo account nel portale della privacy di {0}.",
            TwoFactorDisabled: "è stato disattivato l'accesso in due passaggi per il tuo account nel portale della privacy di {0}.",
            RecoveryCodesGenerated: "sono stati creati nuovi codici di recupero per il tuo account nel portale della privacy di {0}; quelli precedenti non funzionano più.",
            RecoveryCodeUsed: "è stato usato un codice di recupero per accedere al tuo account nel portale della privacy di {0}. Ogni codice funziona una sola volta.",
            ChangeIfYou: "Se sei stato tu, non devi fare altro.",
            ChangeIfNotYou: "Se non sei stato tu, scegli subito una nuova password con «Hai dimenticato la password?» nella pagina di accesso, e avvisaci."),
        ["et"] = new(
            Greeting: "Tere!",
            ResetSubject: "Vali privaatsusportaali jaoks uus parool",
            ResetIntroduction: "Keegi, tõenäoliselt sina, palus lähtestada sinu konto parooli {0} privaatsusportaalis.",
            ResetAction: "Uue parooli valimiseks ava see link:",
            ResetButton: "Vali uus parool",
            ResetValidity: "Link töötab ühe korra ja aegub {0} (UTC).",
            ResetUnexpected: "Kui sa seda ei palunud, jäta see sõnum tähelepanuta: sinu parool jääb samaks.",
            ChangeSubject: "Sinu privaatsusportaali kontot muudeti",
            ChangeWhen: "{0} (UTC):",
            PasswordChanged: "sinu konto parooli muudeti {0} privaatsusportaalis.",
            TwoFactorEnabled: "sinu kontol lülitati {0} privaatsusportaalis sisse kaheastmeline sisselogimine.",
            TwoFactorDisabled: "sinu kontol lülitati {0} privaatsusportaalis välja kaheastmeline sisselogimine.",
            RecoveryCodesGenerated: "sinu kontole loodi {0} privaatsusportaalis uued taastekoodid; varasemad enam ei kehti.",
            RecoveryCodeUsed: "sinu kontole {0} privaatsusportaalis logiti sisse taastekoodiga. Iga koodi saab kasutada ainult ühe korra.",
            ChangeIfYou: "Kui see olid sina, ei pea sa midagi tegema.",
            ChangeIfNotYou: "Kui see ei olnud sina, vali kohe uus parool sisselogimislehe lingiga „Unustasid parooli?“ ja anna meile teada."),
    };

    /// <summary>The languages these messages can be written in: the portal's.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>The "forgot password" message to <paramref name="to"/> with its one-time <paramref name="link"/>.</summary>
    public static OutgoingMail PasswordReset(string to, string? language, string link, DateTimeOffset expiresAt, string organisation, string? subjectId)
    {
        var (code, texts) = For(language);
        var introduction = Format(texts.ResetIntroduction, organisation);
        var validity = Format(texts.ResetValidity, Instant(expiresAt));
        var text = string.Join("\r\n\r\n", texts.Greeting, introduction, texts.ResetAction + "\r\n" + link, validity, texts.ResetUnexpected, organisation);
        var html = HtmlEncoder.Default;
        var body = string.Concat(
            $"<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{html.Encode(texts.ResetSubject)}</title></head><body>",
            $"<p>{html.Encode(texts.Greeting)}</p>",
            $"<p>{html.Encode(introduction)}</p>",
            $"<p>{html.Encode(texts.ResetAction)}</p>",
            $"<p><a href=\"{html.Encode(link)}\">{html.Encode(texts.ResetButton)}</a></p>",
            $"<p>{html.Encode(validity)}</p>",
            $"<p>{html.Encode(texts.ResetUnexpected)}</p>",
            $"<p>{html.Encode(organisation)}</p>",
            "</body></html>");
        return new OutgoingMail(to, texts.ResetSubject, text, body, code, PasswordResetKind, subjectId);
    }

    /// <summary>The notice that <paramref name="change"/> was made to the account at <paramref name="at"/>.</summary>
    public static OutgoingMail Notice(string to, string? language, AccountChange change, DateTimeOffset at, string organisation, string? subjectId)
    {
        var (code, texts) = For(language);
        var what = change switch
        {
            AccountChange.PasswordChanged => texts.PasswordChanged,
            AccountChange.TwoFactorEnabled => texts.TwoFactorEnabled,
            AccountChange.TwoFactorDisabled => texts.TwoFactorDisabled,
            AccountChange.RecoveryCodesGenerated => texts.RecoveryCodesGenerated,
            AccountChange.RecoveryCodeUsed => texts.RecoveryCodeUsed,
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var happened = Format(texts.ChangeWhen, Instant(at)) + " " + Format(what, organisation);
        var text = string.Join("\r\n\r\n", texts.Greeting, happened, texts.ChangeIfYou, texts.ChangeIfNotYou, organisation);
        return new OutgoingMail(to, texts.ChangeSubject, text, null, code, AccountChangeKind, subjectId);
    }

    private static (string Code, Texts Texts) For(string? language)
    {
        var code = language is not null && ByLanguage.ContainsKey(language) ? language : PolicyCatalogue.DefaultLanguage;
        return (code, ByLanguage[code]);
    }

    private static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static string Format(string text, string value) => string.Format(CultureInfo.InvariantCulture, text, value);

    private sealed record Texts(
        string Greeting,
        string ResetSubject,
        string ResetIntroduction,
        string ResetAction,
        string ResetButton,
        string ResetValidity,
        string ResetUnexpected,
        string ChangeSubject,
        string ChangeWhen,
        string PasswordChanged,
        string TwoFactorEnabled,
        string TwoFactorDisabled,
        string RecoveryCodesGenerated,
        string RecoveryCodeUsed,
        string ChangeIfYou,
        string ChangeIfNotYou);
}
