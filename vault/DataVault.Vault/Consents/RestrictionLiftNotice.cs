using DataVault.Vault.Mail;
using DataVault.Vault.Subjects;

namespace DataVault.Vault.Consents;

/// <summary>
/// GDPR Art. 18(3): "A data subject who has obtained restriction of processing … shall be informed by the
/// controller before the restriction of processing is lifted." The notice goes through the vault's
/// <see cref="IMailChannel"/> to the e-mail address on record, in the subject's preferred language when one is
/// on record. It says only what the subject already knows or is entitled to (that a restriction of their data is
/// being lifted, and where to see by whom and why), never a field value or the reason typed by someone else.
/// </summary>
internal sealed class RestrictionLiftNotice(SubjectService subjects, IMailChannel mail)
{
    /// <summary>The stable code of these messages in the outbox and the audit trail (<c>mail.send</c>).</summary>
    public const string Kind = "restriction-lift";

    private static readonly Dictionary<string, (string Subject, string Body)> Texts = new(StringComparer.Ordinal)
    {
        ["en"] = (
            "The restriction of processing of your data is being lifted",
            """
            Hello,

            Processing of your personal data was restricted (GDPR Art. 18). We are telling you before it happens, as the law requires, that this restriction is now being lifted: your data may again be used for the purposes you were told about.

            If you have an account in our privacy portal, its page "Restrict or object" shows who lifted the restriction and why, and lets you restrict processing again at any time.

            This message was sent by the privacy service that keeps your data. Please do not reply to it.
            """),
        ["es"] = (
            "Se levanta la limitación del tratamiento de tus datos",
            """
            Hola:

            El tratamiento de tus datos personales estaba limitado (art. 18 RGPD). Te informamos antes de que ocurra, como exige la ley, de que esta limitación se levanta ahora: tus datos podrán volver a usarse para las finalidades que se te indicaron.

            Si tienes una cuenta en nuestro portal de privacidad, su página «Limitar u oponerme» muestra quién levantó la limitación y por qué, y te permite volver a limitar el tratamiento en cualquier momento.

            Este mensaje lo envía el servicio de privacidad que custodia tus datos. Por favor, no respondas a él.
            """),
        ["ca"] = (
            "S'aixeca la limitació del tractament de les teves dades",
            """
            Hola:

            El tractament de les teves dades personals estava limitat (art. 18 RGPD). T'informem abans que passi, com exigeix la llei, que aquesta limitació s'aixeca ara: les teves dades es podran tornar a fer servir per a les finalitats que se't van indicar.

            Si tens un compte al nostre portal de privadesa, la pàgina «Limitar o oposar-me» mostra qui va aixecar la limitació i per què, i et permet tornar a limitar el tractament en qualsevol moment.

            Aquest missatge l'envia el servei de privadesa que custodia les teves dades. Si us plau, no hi responguis.
            """),
        ["it"] = (
            "La limitazione del trattamento dei tuoi dati viene revocata",
            """
            Gentile cliente,

            il trattamento dei tuoi dati personali era limitato (art. 18 GDPR). Ti informiamo prima che avvenga, come richiede la legge, che questa limitazione viene ora revocata: i tuoi dati potranno di nuovo essere usati per le finalità che ti sono state indicate.

            Se hai un account nel nostro portale privacy, la pagina «Limitare od oppormi» mostra chi ha revocato la limitazione e perché, e ti permette di limitare di nuovo il trattamento in qualsiasi momento.

            Questo messaggio è inviato dal servizio privacy che custodisce i tuoi dati. Ti preghiamo di non rispondere.
            """),
        ["et"] = (
            "Sinu andmete töötlemise piiramine lõpetatakse",
            """
            Tere!

            Sinu isikuandmete töötlemine oli piiratud (isikuandmete kaitse üldmääruse artikkel 18). Anname sulle enne teada, nagu seadus nõuab, et see piiramine nüüd lõpetatakse: sinu andmeid võib taas kasutada eesmärkidel, millest sulle teatati.

            Kui sul on konto meie privaatsusportaalis, näitab selle leht „Piira või esita vastuväide“, kes piiramise lõpetas ja miks, ning seal saad töötlemist igal ajal uuesti piirata.

            Selle sõnumi saatis sinu andmeid hoidev privaatsusteenus. Palun ära sellele vasta.
            """),
    };

    /// <summary>The languages the notice can be written in: the portal's.</summary>
    public static IEnumerable<string> Languages => Texts.Keys;

    /// <summary>The notice to <paramref name="to"/> in <paramref name="language"/> when the portal speaks it, English otherwise.</summary>
    public static OutgoingMail Compose(string to, string? language, string subjectId)
    {
        var code = language is not null && Texts.ContainsKey(language) ? language : "en";
        var (subject, body) = Texts[code];
        return new OutgoingMail(to, subject, body, null, code, Kind, subjectId);
    }

    /// <summary>
    /// Queues the notice to the subject's e-mail address on record. The value is null when there is no address on
    /// record (nothing is queued); not found or gone for an unknown or erased subject.
    /// </summary>
    public async Task<VaultResult<QueuedMail?>> SendAsync(string subjectId, CancellationToken cancellationToken)
    {
        var address = await subjects.ReadTextFieldAsync(subjectId, "email", cancellationToken);
        if (address is null)
        {
            return VaultResult<QueuedMail?>.Ok(null);
        }

        var language = await subjects.ReadTextFieldAsync(subjectId, "preferred_language", cancellationToken);
        var queued = await mail.SendAsync(Compose(address, language, subjectId), cancellationToken);
        return queued.Outcome switch
        {
            VaultOutcome.Ok => VaultResult<QueuedMail?>.Ok(queued.Value),
            VaultOutcome.Gone => VaultResult<QueuedMail?>.Gone(),
            VaultOutcome.NotFound => VaultResult<QueuedMail?>.NotFound(),

            // The address on record passed the field's e-mail rules, yet the mail library refuses it: it cannot be written to.
            _ => VaultResult<QueuedMail?>.Ok(null),
        };
    }
}
