namespace DataVault.Vault.Audit;

/// <summary>
/// Stable codes of audited actions: one per kind of fact, never renamed once shipped, because
/// officers search and export by them.
/// </summary>
public static class AuditActions
{
    public const string SubjectCreate = "subject.create";
    public const string SubjectRead = "subject.read";
    public const string SubjectRectify = "subject.rectify";
    public const string SubjectErase = "subject.erase";
    public const string SubjectLookup = "subject.lookup";

    /// <summary>A copy of everything held on a subject, handed to the subject (GDPR Art. 15 and 20).</summary>
    public const string SubjectExport = "subject.export";
    public const string ConsentRecord = "consent.record";
    public const string ConsentRead = "consent.read";
    public const string ConsentHistory = "consent.history";
    public const string ConsentReceipt = "consent.receipt";
    public const string ObjectionRecord = "objection.record";
    public const string ObjectionLift = "objection.lift";
    public const string RestrictionRecord = "restriction.record";
    public const string RestrictionLift = "restriction.lift";
    public const string PurposeList = "purpose.list";
    public const string PurposeExport = "purpose.export";

    /// <summary>A client read a page of its change feed; fields <c>events:&lt;n&gt;</c>.</summary>
    public const string ChangesRead = "changes.read";
    public const string InvitationCreate = "invitation.create";

    /// <summary>A data-subject request (GDPR Art. 12) was recorded as received.</summary>
    public const string RequestCreate = "request.create";
    public const string RequestRead = "request.read";
    public const string RequestList = "request.list";

    /// <summary>A request moved to another status (identity check, in progress, withdrawn), pausing or resuming its clock.</summary>
    public const string RequestTransition = "request.transition";
    public const string RequestNote = "request.note";

    /// <summary>The period to answer a request was extended (Art. 12(3)), and the subject was sent the notice.</summary>
    public const string RequestExtend = "request.extend";

    /// <summary>A request was refused with a reason (Art. 12(4)), and the subject was sent the notice.</summary>
    public const string RequestRefuse = "request.refuse";
    public const string RequestComplete = "request.complete";

    /// <summary>A one-time code was sent to the subject's address on record to verify a requester (the code is never in the trail).</summary>
    public const string RequestIdentityChallenge = "request.identity-challenge";

    /// <summary>A requester's identity was checked: by the code, or by an officer who saw a document.</summary>
    public const string RequestIdentityVerify = "request.identity-verify";

    /// <summary>An operation taken to fulfil a request (fields <c>action:</c> and its code); the operation records its own entry too.</summary>
    public const string RequestAction = "request.action";

    /// <summary>The export of a subject's data downloaded with the one-time link e-mailed to fulfil a request (fields: the fields exported).</summary>
    public const string RequestExportDownload = "request.export-download";

    /// <summary>The signed completion certificate of a request downloaded.</summary>
    public const string RequestCertificate = "request.certificate";

    /// <summary>A request was handed to someone to handle, or taken back (fields: the step, <c>assign</c>).</summary>
    public const string RequestAssign = "request.assign";
    public const string TokenIssue = "token.issue";

    /// <summary>A client revoked one of its tokens (RFC 7009).</summary>
    public const string TokenRevoke = "token.revoke";

    /// <summary>A client asked whether a token is active (RFC 7662).</summary>
    public const string TokenIntrospect = "token.introspect";

    /// <summary>
    /// Failed requests to the token service by callers that did not authenticate, summarised per remote
    /// address and minute (actor <c>address:…</c>; fields <c>window=…</c>, then <c>error=count</c>, and
    /// <c>client:id=count</c> for the registered client ids they named), so they cannot flood the trail.
    /// </summary>
    public const string TokenFailures = "token.failures";

    /// <summary>
    /// The service removed token rows that can no longer matter (system actor <c>token-pruning</c>; fields
    /// <c>tokens=…,authorizations=…</c>): tokens long expired, and authorizations without tokens.
    /// </summary>
    public const string TokenPrune = "token.prune";
    public const string ClientAdd = "client.add";
    public const string ClientRotateSecret = "client.rotate-secret";
    public const string ClientDisable = "client.disable";

    /// <summary>What the record of processing says about a client as a recipient changed: its category, its transfer to a third country.</summary>
    public const string ClientUpdate = "client.update";
    public const string OfficerAdd = "officer.add";
    public const string OfficerDisable = "officer.disable";
    public const string PolicyLoad = "policy.load";
    public const string AuditSearch = "audit.search";
    public const string AuditExport = "audit.export";
    public const string AuditVerify = "audit.verify";

    /// <summary>An officer viewed the consent overview (counts per purpose, no subject named).</summary>
    public const string ConsentOverview = "consent.overview";

    /// <summary>An officer viewed the record of processing activities (GDPR Art. 30), which names the recipients.</summary>
    public const string RecordRead = "record.read";
    public const string AccessDenied = "access.denied";
    public const string AccessLogRead = "subject.access-log";

    /// <summary>An officer read which clients received a subject's data (GDPR Art. 15(1)(c), 19).</summary>
    public const string SubjectRecipients = "subject.recipients";
    public const string AccountActivate = "account.activate";
    public const string AccountSignIn = "account.sign-in";
    public const string AccountSignOut = "account.sign-out";

    /// <summary>A "forgot password" link was asked for: e-mailed to the account's address (the account acts), or not found (anonymous).</summary>
    public const string AccountPasswordResetRequest = "account.password-reset-request";

    /// <summary>A password was set with a "forgot password" link (attempted, then the outcome).</summary>
    public const string AccountPasswordReset = "account.password-reset";

    /// <summary>Two-factor sign-in turned on (the account's first recovery codes come with it).</summary>
    public const string AccountTwoFactorEnable = "account.two-factor-enable";

    /// <summary>Two-factor sign-in turned off, after the password and a code were given again.</summary>
    public const string AccountTwoFactorDisable = "account.two-factor-disable";

    /// <summary>New two-factor recovery codes made; the earlier ones stop working.</summary>
    public const string AccountRecoveryCodes = "account.recovery-codes";

    /// <summary>A sign-in whose second step was a recovery code instead of an authenticator code; the code is used up.</summary>
    public const string AccountRecoveryCodeSignIn = "account.recovery-code-sign-in";

    /// <summary>The password (and the second factor, when on) asked for again before a grave step: erasure, turning two-factor off, new recovery codes.</summary>
    public const string AccountReauthenticate = "account.reauthenticate";

    /// <summary>
    /// A delivery attempt of the vault's outbound e-mail (attempted, then success or failed). Fields hold
    /// <c>kind:</c> (what the message is about) and <c>to:</c> with the recipient masked; never the address or body.
    /// </summary>
    public const string MailSend = "mail.send";
    /// <summary>An agent let a client act for them (authorization code flow); fields: the scopes allowed.</summary>
    public const string AgentConsent = "agent.consent";

    /// <summary>
    /// The retention sweep destroyed data of a subject (GDPR Art. 5(1)(e)); fields hold <c>field@from-through:rule[:purpose]</c>
    /// per destruction, and <c>tombstone</c> when the subject was left with no data. Never a value.
    /// </summary>
    public const string RetentionDestroy = "retention.destroy";

    /// <summary>The end of a contract or legitimate-interest relationship was recorded for a purpose; its retention runs from then.</summary>
    public const string RelationshipEnd = "relationship.end";

    /// <summary>The relationship ends recorded for a subject were read.</summary>
    public const string RelationshipRead = "relationship.read";

    /// <summary>What the retention sweep would destroy at a date was listed (subject ids, field names, rules).</summary>
    public const string RetentionPreview = "retention.preview";

    /// <summary>A client subscribed to its change events by webhook (the secret is shown once, never recorded); fields: the subscription id.</summary>
    public const string WebhookSubscriptionCreate = "webhook.subscription-create";

    /// <summary>Webhook subscriptions listed or viewed, or their dead-lettered deliveries.</summary>
    public const string WebhookSubscriptionRead = "webhook.subscription-read";

    /// <summary>A webhook subscription removed with its queued deliveries.</summary>
    public const string WebhookSubscriptionDelete = "webhook.subscription-delete";

    /// <summary>A webhook subscription's signing secret replaced (the old one signs beside it for the overlap).</summary>
    public const string WebhookSecretRotate = "webhook.secret-rotate";

    /// <summary>A change event posted to a client's webhook (attempted, then success or failed); fields: <c>event:</c>, <c>client:</c>, <c>subscription:</c>.</summary>
    public const string WebhookDeliver = "webhook.deliver";

    /// <summary>Dead-lettered webhook deliveries queued again.</summary>
    public const string WebhookReplay = "webhook.replay";

    /// <summary>A client acknowledged change events it pulled from the feed (GDPR Art. 19 evidence); fields: how many.</summary>
    public const string ChangesAcknowledge = "changes.acknowledge";

    /// <summary>An officer listed the erasures, rectifications and restrictions recipients have not acknowledged.</summary>
    public const string ChangesOutstanding = "changes.outstanding";
}
