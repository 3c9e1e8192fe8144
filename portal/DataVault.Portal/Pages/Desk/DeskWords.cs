using System.Globalization;
using DataVault.Policies.Decisions;

namespace DataVault.Portal.Pages.Desk;

/// <summary>
/// Catalogue values and audit codes the desk pages put into words in the request's language. The codes stay
/// the stable names for searching and export (the CSV keeps them); the words are what an officer reads.
/// </summary>
internal static class DeskWords
{
    /// <summary>A GDPR Art. 6(1) lawful basis with its point of the article.</summary>
    public static string LawfulBasis(LawfulBasis basis, IStringLocalizer<DeskText> text) => basis switch
    {
        Policies.LawfulBasis.Consent => text["Consent (GDPR Art. 6(1)(a))"],
        Policies.LawfulBasis.Contract => text["Performance of a contract (GDPR Art. 6(1)(b))"],
        Policies.LawfulBasis.LegalObligation => text["Legal obligation (GDPR Art. 6(1)(c))"],
        Policies.LawfulBasis.VitalInterests => text["Vital interests (GDPR Art. 6(1)(d))"],
        Policies.LawfulBasis.PublicTask => text["Public task (GDPR Art. 6(1)(e))"],
        Policies.LawfulBasis.LegitimateInterests => text["Legitimate interests (GDPR Art. 6(1)(f))"],
        _ => basis.ToString(),
    };

    /// <summary>A kind of identity document (<see cref="Vault.Accounts.IdentityEvidence"/>).</summary>
    public static string Evidence(string kind, IStringLocalizer<DeskText> text) => kind switch
    {
        Vault.Accounts.IdentityEvidence.Passport => text["Passport"],
        Vault.Accounts.IdentityEvidence.NationalIdCard => text["National identity card"],
        Vault.Accounts.IdentityEvidence.DrivingLicence => text["Driving licence"],
        Vault.Accounts.IdentityEvidence.ResidencePermit => text["Residence permit"],
        _ => kind,
    };

    /// <summary>What an audited action did, in plain words; an unknown code (from a newer version) stays as it is.</summary>
    public static string Action(string code, IStringLocalizer<DeskText> text) => code switch
    {
        AuditActions.SubjectCreate => text["Customer record created"],
        AuditActions.SubjectRead => text["Data read for a purpose"],
        AuditActions.SubjectRectify => text["Data corrected"],
        AuditActions.SubjectErase => text["Data erased"],
        AuditActions.SubjectLookup => text["Customer looked up by e-mail or phone"],
        AuditActions.SubjectExport => text["Copy of all data given to the customer"],
        AuditActions.ConsentRecord => text["Consent decision recorded"],
        AuditActions.ConsentRead => text["Consents and choices viewed"],
        AuditActions.ConsentHistory => text["Consent history viewed"],
        AuditActions.ConsentReceipt => text["Consent receipt downloaded"],
        AuditActions.ObjectionRecord => text["Objection recorded"],
        AuditActions.ObjectionLift => text["Objection lifted"],
        AuditActions.RestrictionRecord => text["Processing restricted"],
        AuditActions.RestrictionLift => text["Restriction lifted"],
        AuditActions.PurposeList => text["Purposes listed"],
        AuditActions.PurposeExport => text["Customers exported for a purpose"],
        AuditActions.InvitationCreate => text["Invitation to the portal sent"],
        AuditActions.TokenIssue => text["Access token issued"],
        AuditActions.TokenRevoke => text["Access token revoked"],
        AuditActions.TokenIntrospect => text["Access token checked by a system"],
        AuditActions.TokenFailures => text["Failed token requests, summed up per minute"],
        AuditActions.TokenPrune => text["Spent access tokens removed"],
        AuditActions.AgentConsent => text["Staff member let a system act for them"],
        AuditActions.ClientAdd => text["System registered"],
        AuditActions.ClientRotateSecret => text["System's secret replaced"],
        AuditActions.ClientDisable => text["System disabled"],
        AuditActions.ClientUpdate => text["System's recipient details changed"],
        AuditActions.OfficerAdd => text["Staff account created"],
        AuditActions.OfficerDisable => text["Staff account disabled"],
        AuditActions.PolicyLoad => text["Purpose catalogue loaded"],
        AuditActions.AuditSearch => text["Audit trail searched"],
        AuditActions.AuditExport => text["Audit trail exported"],
        AuditActions.AuditVerify => text["Audit trail verified"],
        AuditActions.ConsentOverview => text["Consent overview viewed"],
        AuditActions.RecordRead => text["Record of processing viewed"],
        AuditActions.AccessDenied => text["Access refused"],
        AuditActions.AccessLogRead => text["Access log viewed by the customer"],
        AuditActions.SubjectRecipients => text["Recipients of the customer's data viewed"],
        AuditActions.ChangesRead => text["Change feed read by a system"],
        AuditActions.AccountActivate => text["Portal account set up"],
        AuditActions.AccountSignIn => text["Signed in"],
        AuditActions.AccountSignOut => text["Signed out"],
        AuditActions.AccountPasswordResetRequest => text["New password asked for"],
        AuditActions.AccountPasswordReset => text["Password changed with a reset link"],
        AuditActions.AccountTwoFactorEnable => text["Two-factor sign-in turned on"],
        AuditActions.AccountTwoFactorDisable => text["Two-factor sign-in turned off"],
        AuditActions.AccountRecoveryCodes => text["New recovery codes made"],
        AuditActions.AccountRecoveryCodeSignIn => text["Signed in with a recovery code"],
        AuditActions.AccountReauthenticate => text["Password asked for again"],
        AuditActions.MailSend => text["E-mail sent"],
        AuditActions.RequestCreate => text["Data protection request recorded"],
        AuditActions.RequestRead => text["Data protection request viewed"],
        AuditActions.RequestList => text["Data protection requests listed"],
        AuditActions.RequestTransition => text["Request moved to another step"],
        AuditActions.RequestNote => text["Note added to a request"],
        AuditActions.RequestExtend => text["Deadline of a request extended"],
        AuditActions.RequestRefuse => text["Request refused"],
        AuditActions.RequestComplete => text["Request completed"],
        AuditActions.RequestIdentityChallenge => text["Identity code sent for a request"],
        AuditActions.RequestIdentityVerify => text["Requester's identity checked"],
        AuditActions.RetentionDestroy => text["Data destroyed at the end of its retention"],
        AuditActions.RelationshipEnd => text["End of a relationship recorded"],
        AuditActions.RelationshipRead => text["Ends of relationships viewed"],
        AuditActions.RetentionPreview => text["Retention preview listed"],
        AuditActions.WebhookSubscriptionCreate => text["Webhook subscription added by a system"],
        AuditActions.WebhookSubscriptionRead => text["Webhook subscriptions viewed by a system"],
        AuditActions.WebhookSubscriptionDelete => text["Webhook subscription removed"],
        AuditActions.WebhookSecretRotate => text["Webhook signing secret replaced"],
        AuditActions.WebhookDeliver => text["Change sent to a system by webhook"],
        AuditActions.WebhookReplay => text["Failed webhook deliveries sent again"],
        AuditActions.ChangesAcknowledge => text["Changes confirmed as applied by a system"],
        AuditActions.ChangesOutstanding => text["Unconfirmed changes to recipients viewed"],
        AuditActions.RequestAction => text["Action taken to fulfil a request"],
        AuditActions.RequestExportDownload => text["Export downloaded with a link e-mailed for a request"],
        AuditActions.RequestCertificate => text["Completion certificate of a request downloaded"],
        AuditActions.RequestAssign => text["Request handed to someone to handle"],
        _ => code,
    };

    /// <summary>How an audited action ended, in plain words.</summary>
    public static string Outcome(string code, IStringLocalizer<DeskText> text) => code switch
    {
        AuditOutcomes.Success => text["Done"],
        AuditOutcomes.Invalid => text["Refused: invalid request"],
        AuditOutcomes.Denied => text["Refused: not allowed"],
        AuditOutcomes.NotFound => text["Not found"],
        AuditOutcomes.Gone => text["Refused: data already erased"],
        AuditOutcomes.Failed => text["Failed"],
        AuditOutcomes.Attempted => text["Started"],
        AuditOutcomes.TimedOut => text["Not done: timed out"],
        _ => code,
    };

    /// <summary>A subject's consent to a purpose now, as the release rule judges it.</summary>
    public static string Consent(EffectiveConsent state, IStringLocalizer<DeskText> text) => state switch
    {
        EffectiveConsent.Given => text["Consent given"],
        EffectiveConsent.Withdrawn => text["Consent withdrawn"],
        EffectiveConsent.Refused => text["Consent refused"],
        EffectiveConsent.Expired => text["Consent expired"],
        EffectiveConsent.OutdatedVersion => text["Consent given for an earlier version of the purpose"],
        _ => text["Not asked yet"],
    };

    /// <summary>
    /// The names an audit entry lists (fields released, written or looked up by; a few entries put a
    /// <c>key:value</c> note there instead, kept as it is), each field by its title in the request's language.
    /// </summary>
    public static string Fields(string? fields, PolicyCatalogue catalogue) =>
        fields is null ? string.Empty : string.Join(", ", fields.Split(',').Select(catalogue.FieldTitle));

    /// <summary>The <c>field:reason</c> pairs of the fields withheld from a read, in words: "E-mail address (no consent)".</summary>
    public static string Withheld(string? withheld, PolicyCatalogue catalogue, IStringLocalizer<DeskText> text) =>
        string.Join(", ", WithheldFields.Parse(withheld).Select(w => $"{catalogue.FieldTitle(w.Field)} ({Reason(w.Reason, text)})"));

    private static string Reason(WithheldReason reason, IStringLocalizer<DeskText> text) => reason switch
    {
        WithheldReason.NoConsent => text["no consent"],
        WithheldReason.Expired => text["the consent has expired"],
        WithheldReason.NotInPurpose => text["not used by the purpose"],
        WithheldReason.Restricted => text["processing is restricted"],
        WithheldReason.Objected => text["objection"],
        WithheldReason.Erased => text["erased"],
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>Which of the matching entries a page shows, counted among the matches: "Entries 51 to 100 of 1,234, newest first".</summary>
    public static string Position(long first, int shown, long matches, IStringLocalizer<DeskText> text)
    {
        ArgumentNullException.ThrowIfNull(text);
        string Number(long n) => n.ToString("N0", CultureInfo.CurrentCulture);
        return shown == 1
            ? text["Entry {0} of {1}, newest first", Number(first), Number(matches)]
            : text["Entries {0} to {1} of {2}, newest first", Number(first), Number(first + shown - 1), Number(matches)];
    }
}
