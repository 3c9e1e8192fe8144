using System.Globalization;
using DataVault.Vault.Mail;

namespace DataVault.Vault.Requests;

/// <summary>
/// The e-mails that tell a requester where their request stands (GDPR Art. 12(3) and 12(4)): received, with its
/// due date; extended, with the reasons; completed; refused, with the reasons and the right to complain to a
/// supervisory authority and to seek a judicial remedy. In the request's language (the portal's five, English
/// otherwise) and the portal's informal register. They name the right, the dates and the reference only, never
/// a field value, and never whether the vault holds data on the requester, so a notice sent to an address the
/// requester gave discloses nothing to whoever reads it.
/// </summary>
internal static class RequestNotices
{
    public const string ReceivedKind = "request-received";
    public const string ExtendedKind = "request-extended";
    public const string CompletedKind = "request-completed";
    public const string RefusedKind = "request-refused";

    /// <summary>The one-time code that verifies the requester's identity; sent only to the subject's address on record.</summary>
    public const string IdentityCodeKind = "request-identity-code";

    /// <summary>Every kind of notice about a request's state (<see cref="Compose"/>), for the tests that hold each language to all of them; the code has <see cref="ComposeCode"/>.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [ReceivedKind, ExtendedKind, CompletedKind, RefusedKind];

    private static readonly Dictionary<string, Texts> ByLanguage = new(StringComparer.Ordinal)
    {
        ["en"] = new(
            Greeting: "Hello,",
            Types: new(StringComparer.Ordinal)
            {
                [RequestTypes.Access] = "access to your personal data",
                [RequestTypes.Portability] = "a copy of your data to take elsewhere (portability)",
                [RequestTypes.Rectification] = "rectification of your data",
                [RequestTypes.Erasure] = "erasure of your data",
                [RequestTypes.Restriction] = "restriction of processing",
                [RequestTypes.Objection] = "objection to processing",
                [RequestTypes.ConsentWithdrawal] = "withdrawal of consent",
            },
            Reasons: new(StringComparer.Ordinal)
            {
                [RefusalReasons.ManifestlyUnfounded] = "the request is manifestly unfounded (GDPR Art. 12(5)).",
                [RefusalReasons.Excessive] = "the request is excessive, in particular because it repeats earlier ones (GDPR Art. 12(5)).",
                [RefusalReasons.IdentityNotVerified] = "we could not confirm that the request comes from the person the data is about (GDPR Art. 11(2) and 12(6)).",
                [RefusalReasons.RightsOfOthers] = "answering it would adversely affect the rights and freedoms of other people (GDPR Art. 15(4)).",
                [RefusalReasons.PortabilityNotApplicable] = "the right to data portability does not apply to this processing (GDPR Art. 20(1)).",
                [RefusalReasons.LegalObligation] = "we must keep the data to comply with a legal obligation (GDPR Art. 17(3)(b)).",
                [RefusalReasons.LegalClaims] = "the data is needed to establish, exercise or defend legal claims (GDPR Art. 17(3)(e)).",
                [RefusalReasons.CompellingLegitimateGrounds] = "there are compelling legitimate grounds for the processing that override your interests (GDPR Art. 21(1)).",
                [RefusalReasons.Other] = "see the explanation below.",
            },
            ReceivedSubject: "We have received your request",
            Received: "We received your request for {0} on {1}. We will answer it by {2} at the latest (GDPR Art. 12(3)).",
            ExtendedSubject: "We need more time for your request",
            Extended: "We need more time to answer your request for {0} of {1}. As GDPR Art. 12(3) allows, we are extending the deadline to {2}. Why:",
            CompletedSubject: "Your request has been completed",
            Completed: "We have completed your request for {0} of {1}, on {2}.",
            RefusedSubject: "We cannot act on your request",
            Refused: "We cannot act on your request for {0} of {1}, because {2}",
            Rights: "You have the right to lodge a complaint with a data protection supervisory authority (GDPR Art. 77), in particular in the EU country where you live or work or where you think the infringement took place, and the right to an effective judicial remedy before a court (GDPR Art. 79).",
            Reference: "Reference of your request: {0}",
            Footer: "This message was sent by the privacy service of {0}. Please do not reply to it.",
            CodeSubject: "Your code to confirm your request",
            Code: "Someone, probably you, made a request for {0} on {1}. To confirm it is you, give this code to the person handling your request, or enter it where you were asked: {2}. It works until {3} (UTC). If you made no request, ignore this message; nothing happens without the code."),
        ["es"] = new(
            Greeting: "Hola:",
            Types: new(StringComparer.Ordinal)
            {
                [RequestTypes.Access] = "acceso a tus datos personales",
                [RequestTypes.Portability] = "una copia de tus datos para llevarlos a otro sitio (portabilidad)",
                [RequestTypes.Rectification] = "rectificación de tus datos",
                [RequestTypes.Erasure] = "supresión de tus datos",
                [RequestTypes.Restriction] = "limitación del tratamiento",
                [RequestTypes.Objection] = "oposición al tratamiento",
                [RequestTypes.ConsentWithdrawal] = "retirada del consentimiento",
            },
            Reasons: new(StringComparer.Ordinal)
            {
                [RefusalReasons.ManifestlyUnfounded] = "la solicitud es manifiestamente infundada (art. 12.5 RGPD).",
                [RefusalReasons.Excessive] = "la solicitud es excesiva, en especial porque repite otras anteriores (art. 12.5 RGPD).",
                [RefusalReasons.IdentityNotVerified] = "no hemos podido confirmar que la solicitud venga de la persona a la que se refieren los datos (arts. 11.2 y 12.6 RGPD).",
                [RefusalReasons.RightsOfOthers] = "atenderla afectaría negativamente a los derechos y libertades de otras personas (art. 15.4 RGPD).",
                [RefusalReasons.PortabilityNotApplicable] = "el derecho a la portabilidad no se aplica a este tratamiento (art. 20.1 RGPD).",
                [RefusalReasons.LegalObligation] = "debemos conservar los datos para cumplir una obligación legal (art. 17.3.b RGPD).",
                [RefusalReasons.LegalClaims] = "los datos son necesarios para formular, ejercer o defender reclamaciones (art. 17.3.e RGPD).",
                [RefusalReasons.CompellingLegitimateGrounds] = "hay motivos legítimos imperiosos para el tratamiento que prevalecen sobre tus intereses (art. 21.1 RGPD).",
                [RefusalReasons.Other] = "lo explicamos a continuación.",
            },
            ReceivedSubject: "Hemos recibido tu solicitud",
            Received: "Recibimos tu solicitud de {0} el {1}. Te responderemos como muy tarde el {2} (art. 12.3 RGPD).",
            ExtendedSubject: "Necesitamos más tiempo para tu solicitud",
            Extended: "Necesitamos más tiempo para responder a tu solicitud de {0} del {1}. Como permite el art. 12.3 RGPD, ampliamos el plazo hasta el {2}. El motivo:",
            CompletedSubject: "Hemos atendido tu solicitud",
            Completed: "Hemos atendido tu solicitud de {0} del {1}, el {2}.",
            RefusedSubject: "No podemos atender tu solicitud",
            Refused: "No podemos atender tu solicitud de {0} del {1}, porque {2}",
            Rights: "Tienes derecho a presentar una reclamación ante una autoridad de control de protección de datos (art. 77 RGPD), en particular en el país de la UE donde vives o trabajas o donde crees que se produjo la infracción, y derecho a la tutela judicial efectiva ante un tribunal (art. 79 RGPD).",
            Reference: "Referencia de tu solicitud: {0}",
            Footer: "Este mensaje lo envía el servicio de privacidad de {0}. Por favor, no respondas a él.",
            CodeSubject: "Tu código para confirmar tu solicitud",
            Code: "Alguien, probablemente tú, hizo una solicitud de {0} el {1}. Para confirmar que eres tú, da este código a quien gestiona tu solicitud, o escríbelo donde te lo pidieron: {2}. Funciona hasta el {3} (UTC). Si no hiciste ninguna solicitud, ignora este mensaje; sin el código no pasa nada."),
        ["ca"] = new(
            Greeting: "Hola:",
            Types: new(StringComparer.Ordinal)
            {
                [RequestTypes.Access] = "accés a les teves dades personals",
                [RequestTypes.Portability] = "una còpia de les teves dades per portar-les a un altre lloc (portabilitat)",
                [RequestTypes.Rectification] = "rectificació de les teves dades",
                [RequestTypes.Erasure] = "supressió de les teves dades",
                [RequestTypes.Restriction] = "limitació del tractament",
                [RequestTypes.Objection] = "oposició al tractament",
                [RequestTypes.ConsentWithdrawal] = "retirada del consentiment",
            },
            Reasons: new(StringComparer.Ordinal)
            {
                [RefusalReasons.ManifestlyUnfounded] = "la sol·licitud és manifestament infundada (art. 12.5 RGPD).",
                [RefusalReasons.Excessive] = "la sol·licitud és excessiva, sobretot perquè en repeteix d'anteriors (art. 12.5 RGPD).",
                [RefusalReasons.IdentityNotVerified] = "no hem pogut confirmar que la sol·licitud vingui de la persona a qui es refereixen les dades (arts. 11.2 i 12.6 RGPD).",
                [RefusalReasons.RightsOfOthers] = "atendre-la afectaria negativament els drets i les llibertats d'altres persones (art. 15.4 RGPD).",
                [RefusalReasons.PortabilityNotApplicable] = "el dret a la portabilitat no s'aplica a aquest tractament (art. 20.1 RGPD).",
                [RefusalReasons.LegalObligation] = "hem de conservar les dades per complir una obligació legal (art. 17.3.b RGPD).",
                [RefusalReasons.LegalClaims] = "les dades són necessàries per formular, exercir o defensar reclamacions (art. 17.3.e RGPD).",
                [RefusalReasons.CompellingLegitimateGrounds] = "hi ha motius legítims imperiosos per al tractament que prevalen sobre els teus interessos (art. 21.1 RGPD).",
                [RefusalReasons.Other] = "t'ho expliquem a continuació.",
            },
            ReceivedSubject: "Hem rebut la teva sol·licitud",
            Received: "Vam rebre la teva sol·licitud de {0} el {1}. Et respondrem com a molt tard el {2} (art. 12.3 RGPD).",
            ExtendedSubject: "Necessitem més temps per a la teva sol·licitud",
            Extended: "Necessitem més temps per respondre la teva sol·licitud de {0} del {1}. Com permet l'art. 12.3 RGPD, ampliem el termini fins al {2}. El motiu:",
            CompletedSubject: "Hem atès la teva sol·licitud",
            Completed: "Hem atès la teva sol·licitud de {0} del {1}, el {2}.",
            RefusedSubject: "No podem atendre la teva sol·licitud",
            Refused: "No podem atendre la teva sol·licitud de {0} del {1}, perquè {2}",
            Rights: "Tens dret a presentar una reclamació davant d'una autoritat de control de protecció de dades (art. 77 RGPD), en particular al país de la UE on vius o treballes o on creus que es va produir la infracció, i dret a la tutela judicial efectiva davant d'un tribunal (art. 79 RGPD).",
            Reference: "Referència de la teva sol·licitud: {0}",
            Footer: "Aquest missatge l'envia el servei de privadesa de {0}. No hi responguis.",
            CodeSubject: "El teu codi per confirmar la teva sol·licitud",
            Code: "Algú, probablement tu, va fer una sol·licitud de {0} el {1}. Per confirmar que ets tu, dona aquest codi a qui gestiona la teva sol·licitud, o escriu-lo on te'l van demanar: {2}. Funciona fins al {3} (UTC). Si no vas fer cap sol·licitud, ignora aquest missatge; sense el codi no passa res."),
        ["it"] = new(
            Greeting: "Ciao,",
            Types: new(StringComparer.Ordinal)
            {
                [RequestTypes.Access] = "accesso ai tuoi dati personali",
                [RequestTypes.Portability] = "una copia dei tuoi dati da portare altrove (portabilità)",
                [RequestTypes.Rectification] = "rettifica dei tuoi dati",
                [RequestTypes.Erasure] = "cancellazione dei tuoi dati",
                [RequestTypes.Restriction] = "limitazione del trattamento",
                [RequestTypes.Objection] = "opposizione al trattamento",
                [RequestTypes.ConsentWithdrawal] = "revoca del consenso",
            },
            Reasons: new(StringComparer.Ordinal)
            {
                [RefusalReasons.ManifestlyUnfounded] = "la richiesta è manifestamente infondata (art. 12, par. 5, GDPR).",
                [RefusalReasons.Excessive] = "la richiesta è eccessiva, in particolare perché ripete richieste precedenti (art. 12, par. 5, GDPR).",
                [RefusalReasons.IdentityNotVerified] = "non abbiamo potuto confermare che la richiesta venga dalla persona a cui si riferiscono i dati (artt. 11, par. 2, e 12, par. 6, GDPR).",
                [RefusalReasons.RightsOfOthers] = "soddisfarla lederebbe i diritti e le libertà di altre persone (art. 15, par. 4, GDPR).",
                [RefusalReasons.PortabilityNotApplicable] = "il diritto alla portabilità non si applica a questo trattamento (art. 20, par. 1, GDPR).",
                [RefusalReasons.LegalObligation] = "dobbiamo conservare i dati per adempiere un obbligo di legge (art. 17, par. 3, lett. b, GDPR).",
                [RefusalReasons.LegalClaims] = "i dati servono per accertare, esercitare o difendere un diritto in sede giudiziaria (art. 17, par. 3, lett. e, GDPR).",
                [RefusalReasons.CompellingLegitimateGrounds] = "esistono motivi legittimi cogenti per il trattamento che prevalgono sui tuoi interessi (art. 21, par. 1, GDPR).",
                [RefusalReasons.Other] = "te lo spieghiamo qui sotto.",
            },
            ReceivedSubject: "Abbiamo ricevuto la tua richiesta",
            Received: "Abbiamo ricevuto la tua richiesta di {0} il {1}. Ti risponderemo al più tardi entro il {2} (art. 12, par. 3, GDPR).",
            ExtendedSubject: "Ci serve più tempo per la tua richiesta",
            Extended: "Ci serve più tempo per rispondere alla tua richiesta di {0} del {1}. Come consente l'art. 12, par. 3, GDPR, proroghiamo il termine al {2}. Il motivo:",
            CompletedSubject: "Abbiamo evaso la tua richiesta",
            Completed: "Abbiamo evaso la tua richiesta di {0} del {1}, il {2}.",
            RefusedSubject: "Non possiamo dare seguito alla tua richiesta",
            Refused: "Non possiamo dare seguito alla tua richiesta di {0} del {1}, perché {2}",
            Rights: "Hai il diritto di proporre reclamo a un'autorità di controllo per la protezione dei dati (art. 77 GDPR), in particolare nel paese dell'UE in cui vivi o lavori o in cui ritieni sia avvenuta la violazione, e il diritto a un ricorso giurisdizionale effettivo davanti a un giudice (art. 79 GDPR).",
            Reference: "Riferimento della tua richiesta: {0}",
            Footer: "Questo messaggio è inviato dal servizio privacy di {0}. Non rispondere a questo messaggio.",
            CodeSubject: "Il tuo codice per confermare la tua richiesta",
            Code: "Qualcuno, probabilmente tu, ha fatto una richiesta di {0} il {1}. Per confermare che sei tu, comunica questo codice a chi gestisce la tua richiesta, o inseriscilo dove ti è stato chiesto: {2}. Vale fino al {3} (UTC). Se non hai fatto nessuna richiesta, ignora questo messaggio; senza il codice non succede nulla."),
        ["et"] = new(
            Greeting: "Tere!",
            Types: new(StringComparer.Ordinal)
            {
                [RequestTypes.Access] = "oma isikuandmetega tutvumise",
                [RequestTypes.Portability] = "oma andmete koopia teisele poole viimiseks (andmete ülekandmise)",
                [RequestTypes.Rectification] = "oma andmete parandamise",
                [RequestTypes.Erasure] = "oma andmete kustutamise",
                [RequestTypes.Restriction] = "töötlemise piiramise",
                [RequestTypes.Objection] = "töötlemise vastu vastuväite esitamise",
                [RequestTypes.ConsentWithdrawal] = "nõusoleku tagasivõtmise",
            },
            Reasons: new(StringComparer.Ordinal)
            {
                [RefusalReasons.ManifestlyUnfounded] = "taotlus on ilmselgelt põhjendamatu (isikuandmete kaitse üldmääruse artikli 12 lõige 5).",
                [RefusalReasons.Excessive] = "taotlus on ülemäärane, eelkõige seetõttu, et see kordab varasemaid (artikli 12 lõige 5).",
                [RefusalReasons.IdentityNotVerified] = "me ei saanud kinnitada, et taotlus tuleb inimeselt, keda andmed puudutavad (artikli 11 lõige 2 ja artikli 12 lõige 6).",
                [RefusalReasons.RightsOfOthers] = "sellele vastamine kahjustaks teiste inimeste õigusi ja vabadusi (artikli 15 lõige 4).",
                [RefusalReasons.PortabilityNotApplicable] = "õigus andmete ülekandmisele ei kehti selle töötlemise kohta (artikli 20 lõige 1).",
                [RefusalReasons.LegalObligation] = "me peame andmeid säilitama juriidilise kohustuse täitmiseks (artikli 17 lõike 3 punkt b).",
                [RefusalReasons.LegalClaims] = "andmeid on vaja õigusnõuete koostamiseks, esitamiseks või kaitsmiseks (artikli 17 lõike 3 punkt e).",
                [RefusalReasons.CompellingLegitimateGrounds] = "töötlemiseks on mõjuvad õiguspärased põhjused, mis kaaluvad üles sinu huvid (artikli 21 lõige 1).",
                [RefusalReasons.Other] = "selgitame seda allpool.",
            },
            ReceivedSubject: "Saime sinu taotluse kätte",
            Received: "Saime sinu {0} taotluse kätte {1}. Vastame sellele hiljemalt {2} (isikuandmete kaitse üldmääruse artikli 12 lõige 3).",
            ExtendedSubject: "Vajame sinu taotluse jaoks rohkem aega",
            Extended: "Vajame sinu {1} esitatud {0} taotlusele vastamiseks rohkem aega. Nagu artikli 12 lõige 3 lubab, pikendame tähtaega kuni {2}. Põhjus:",
            CompletedSubject: "Sinu taotlus on täidetud",
            Completed: "Täitsime sinu {1} esitatud {0} taotluse {2}.",
            RefusedSubject: "Me ei saa sinu taotlust täita",
            Refused: "Me ei saa sinu {1} esitatud {0} taotlust täita, sest {2}",
            Rights: "Sul on õigus esitada kaebus andmekaitse järelevalveasutusele (isikuandmete kaitse üldmääruse artikkel 77), eelkõige selles ELi riigis, kus sa elad või töötad või kus sinu arvates rikkumine toimus, ning õigus tõhusale õiguskaitsevahendile kohtus (artikkel 79).",
            Reference: "Sinu taotluse viide: {0}",
            Footer: "Selle sõnumi saatis {0} privaatsusteenus. Palun ära sellele vasta.",
            CodeSubject: "Sinu kood taotluse kinnitamiseks",
            Code: "Keegi, tõenäoliselt sina, esitas {1} {0} taotluse. Et kinnitada, et see oled sina, anna see kood sinu taotlust menetlevale inimesele või sisesta see sinna, kus seda küsiti: {2}. Kood kehtib kuni {3} (UTC). Kui sa taotlust ei esitanud, eira seda sõnumit; ilma koodita ei juhtu midagi."),
    };

    /// <summary>The languages notices are written in: the portal's.</summary>
    public static IEnumerable<string> Languages => ByLanguage.Keys;

    /// <summary>Whether notices can be written in <paramref name="language"/>.</summary>
    public static bool Speaks(string? language) => language is not null && ByLanguage.ContainsKey(language);

    /// <summary>The names of request types and refusal reasons a language has, for the test that holds every language to all of them.</summary>
    public static (IReadOnlyCollection<string> Types, IReadOnlyCollection<string> Reasons) Vocabulary(string language) =>
        (ByLanguage[language].Types.Keys, ByLanguage[language].Reasons.Keys);

    /// <summary>
    /// The notice of <paramref name="kind"/> about <paramref name="request"/> (as it stands after the change) to
    /// <paramref name="to"/>. <paramref name="explanation"/> is the officer's text for an extension or a refusal.
    /// </summary>
    public static OutgoingMail Compose(string kind, RequestRecord request, string to, string? subjectId, string? explanation, string controller)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = Speaks(request.Language) ? request.Language : "en";
        var t = ByLanguage[language];
        var type = t.Types[request.Type];
        var received = Day(request.ReceivedDate);
        var (subject, body) = kind switch
        {
            ReceivedKind => (t.ReceivedSubject, Format(t.Received, type, received, Day(request.DueDate))),
            ExtendedKind => (t.ExtendedSubject, Format(t.Extended, type, received, Day(request.DueDate)) + "\n\n" + explanation),
            CompletedKind => (t.CompletedSubject, Format(t.Completed, type, received, Day(DateOnly.FromDateTime(request.ClosedAt!.Value.UtcDateTime)))),
            RefusedKind => (t.RefusedSubject, Format(t.Refused, type, received, t.Reasons[request.RefusalReason!]) + "\n\n" + explanation + "\n\n" + t.Rights),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a kind of request notice."),
        };
        return Mail(t, language, kind, subject, body, request, to, subjectId, controller);
    }

    /// <summary>
    /// The one-time code that confirms the requester's identity, to the subject's address on record only. It names
    /// the right and the day of receipt, so the holder of the address can tell whether the request is theirs.
    /// </summary>
    public static OutgoingMail ComposeCode(RequestRecord request, string to, string subjectId, string code, DateTimeOffset expiresAt, string controller)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = Speaks(request.Language) ? request.Language : "en";
        var t = ByLanguage[language];
        var body = Format(t.Code, t.Types[request.Type], Day(request.ReceivedDate), code, expiresAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture));
        return Mail(t, language, IdentityCodeKind, t.CodeSubject, body, request, to, subjectId, controller);
    }

    /// <summary>A message about the request that another part of the vault words (<paramref name="subject"/>, <paramref name="body"/>), framed like these: greeting, reference, footer.</summary>
    public static OutgoingMail ComposeOther(RequestRecord request, string kind, string to, string subjectId, string subject, string body, string controller)
    {
        ArgumentNullException.ThrowIfNull(request);
        var language = Speaks(request.Language) ? request.Language : "en";
        return Mail(ByLanguage[language], language, kind, subject, body, request, to, subjectId, controller);
    }

    private static OutgoingMail Mail(Texts t, string language, string kind, string subject, string body, RequestRecord request, string to, string? subjectId, string controller)
    {
        var text = $"{t.Greeting}\n\n{body}\n\n{Format(t.Reference, request.Id)}\n\n{Format(t.Footer, controller)}\n";
        return new OutgoingMail(to, subject, text, null, language, kind, subjectId);
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Format(string format, params object?[] values) => string.Format(CultureInfo.InvariantCulture, format, values);

    private sealed record Texts(
        string Greeting,
        Dictionary<string, string> Types,
        Dictionary<string, string> Reasons,
        string ReceivedSubject,
        string Received,
        string ExtendedSubject,
        string Extended,
        string CompletedSubject,
        string Completed,
        string RefusedSubject,
        string Refused,
        string Rights,
        string Reference,
        string Footer,
        string CodeSubject,
        string Code);
}
