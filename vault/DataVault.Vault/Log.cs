using Microsoft.Extensions.Logging;

namespace DataVault.Vault;

/// <summary>
/// The vault's log messages: ids and counts only, never a field value, key or ciphertext. Failures
/// carry their exception: the vault's statements bind every value as a parameter, and SQLite's
/// messages name tables, columns and constraints, never the values bound.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Subject {SubjectId} created with {FieldCount} fields")]
    public static partial void SubjectCreated(ILogger logger, string subjectId, int fieldCount);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "Subject {SubjectId} rectified: {FieldCount} fields got a new version")]
    public static partial void SubjectRectified(ILogger logger, string subjectId, int fieldCount);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Information, Message = "Subject {SubjectId} erased: {ShreddedGroups} key groups shredded, {RetainedGroups} held for legal retention")]
    public static partial void SubjectErased(ILogger logger, string subjectId, int shreddedGroups, int retainedGroups);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "Retention ended for {KeyCount} legal-hold data keys: shredded")]
    public static partial void RetainedKeysShredded(ILogger logger, int keyCount);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information, Message = "Database schema migrated to version {Version} (applied: {Applied})")]
    public static partial void SchemaMigrated(ILogger logger, int version, string applied);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information, Message = "A new blind-index key was generated")]
    public static partial void BlindIndexKeyCreated(ILogger logger);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The write-ahead log could not be truncated after an erasure; it will be on the next checkpoint")]
    public static partial void WalTruncateDeferred(ILogger logger, Exception? exception = null);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "The retention sweep failed; it runs again at the next interval")]
    public static partial void RetentionSweepFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Error, Message = "The vault writer could not commit a batch of {Count} changes (SQLite error {ErrorCode}, -1 when not SQLite); those requests failed and nothing of the batch was written")]
    public static partial void VaultBatchFailed(ILogger logger, int count, int errorCode, Exception exception);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Error, Message = "The vault writer could not purge the ciphertexts of shredded key groups (SQLite error {ErrorCode}, -1 when not SQLite); they stay queued, undecryptable, and the purge is retried")]
    public static partial void CiphertextPurgeFailed(ILogger logger, int errorCode, Exception exception);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Warning, Message = "The Data Protection key ring in {Directory} is stored unencrypted; allowed in Development only (set Vault:KeyRingCertificatePath or Vault:KeyRingCertificateThumbprint)")]
    public static partial void KeyRingUnprotected(ILogger logger, string directory);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Information, Message = "Client {ClientId} registered")]
    public static partial void ClientAdded(ILogger logger, string clientId);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "Client {ClientId} was issued a new secret")]
    public static partial void ClientSecretRotated(ILogger logger, string clientId);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Information, Message = "Client {ClientId} disabled")]
    public static partial void ClientDisabled(ILogger logger, string clientId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Information, Message = "Client {ClientId} as a recipient: category {Category}, transfer to {TransferCountry}")]
    public static partial void ClientRecipientUpdated(ILogger logger, string clientId, string? category, string? transferCountry);
    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "Pruned {TokenCount} expired tokens and {AuthorizationCount} authorizations without tokens")]
    public static partial void TokensPruned(ILogger logger, int tokenCount, int authorizationCount);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Error, Message = "Pruning expired tokens failed; retried at the next sweep")]
    public static partial void TokenPruneFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Information, Message = "Signing key {KeyId} created; signs from {NotBefore:o} until {RetireAt:o}")]
    public static partial void SigningKeyCreated(ILogger logger, string keyId, DateTimeOffset notBefore, DateTimeOffset retireAt);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information, Message = "Consent event for subject {SubjectId}, purpose {PurposeId}: {State}")]
    public static partial void ConsentRecorded(ILogger logger, string subjectId, string purposeId, string state);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Information, Message = "Objection for subject {SubjectId}, purpose {PurposeId}: {Action}")]
    public static partial void ObjectionRecorded(ILogger logger, string subjectId, string purposeId, string action);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Information, Message = "Restriction for subject {SubjectId}: {Action}")]
    public static partial void RestrictionRecorded(ILogger logger, string subjectId, string action);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Information, Message = "Global Privacy Control for subject {SubjectId}: objected to {PurposeCount} sale or sharing purposes")]
    public static partial void GlobalPrivacyControlApplied(ILogger logger, string subjectId, int purposeCount);

    [LoggerMessage(EventId = 1401, Level = LogLevel.Error, Message = "The audit store refused a batch of {Count} entries (SQLite error {ErrorCode}, -1 when not SQLite); those requests failed closed")]
    public static partial void AuditBatchFailed(ILogger logger, int count, int errorCode, Exception exception);

    [LoggerMessage(EventId = 1402, Level = LogLevel.Warning, Message = "An audit checkpoint could not be written; retried after the next batch")]
    public static partial void AuditCheckpointFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1701, Level = LogLevel.Debug, Message = "Routed {EventCount} change events: {RecipientCount} new recipients")]
    public static partial void ChangesRouted(ILogger logger, int eventCount, int recipientCount);

    [LoggerMessage(EventId = 1702, Level = LogLevel.Warning, Message = "Change events could not be routed; retried next round")]
    public static partial void ChangeRoutingFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1801, Level = LogLevel.Information, Message = "Data-subject request {RequestId} received: {Type} by {Channel}, subject {SubjectId}")]
    public static partial void RequestCreated(ILogger logger, string requestId, string type, string channel, string? subjectId);

    [LoggerMessage(EventId = 1802, Level = LogLevel.Information, Message = "Data-subject request {RequestId} changed: {EventCount} history entries, notice {MailId}")]
    public static partial void RequestChanged(ILogger logger, string requestId, int eventCount, string? mailId);

    [LoggerMessage(EventId = 1901, Level = LogLevel.Information, Message = "Relationship for purpose {PurposeId} of subject {SubjectId} recorded as ended")]
    public static partial void RelationshipEnded(ILogger logger, string subjectId, string purposeId);

    [LoggerMessage(EventId = 1902, Level = LogLevel.Information, Message = "Retention destroyed {DestructionCount} field destructions of subject {SubjectId} (tombstone: {Tombstone})")]
    public static partial void RetentionDestroyed(ILogger logger, string subjectId, int destructionCount, bool tombstone);

    [LoggerMessage(EventId = 1903, Level = LogLevel.Information, Message = "Retention sweep finished: {SubjectCount} subjects lost data")]
    public static partial void RetentionSwept(ILogger logger, int subjectCount);

    [LoggerMessage(EventId = 1941, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} created for client {ClientId}")]
    public static partial void WebhookSubscribed(ILogger logger, string subscriptionId, string clientId);

    [LoggerMessage(EventId = 1942, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} of client {ClientId} removed with its queued deliveries")]
    public static partial void WebhookUnsubscribed(ILogger logger, string subscriptionId, string clientId);

    [LoggerMessage(EventId = 1943, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId} has a new secret; the one replaced signs beside it until {PreviousUntil:o}")]
    public static partial void WebhookSecretRotated(ILogger logger, string subscriptionId, DateTimeOffset previousUntil);

    [LoggerMessage(EventId = 1944, Level = LogLevel.Information, Message = "Webhook subscription {SubscriptionId}: {Count} dead-lettered deliveries queued again")]
    public static partial void WebhookDeliveriesReplayed(ILogger logger, string subscriptionId, int count);

    [LoggerMessage(EventId = 1945, Level = LogLevel.Debug, Message = "Webhook subscription {SubscriptionId}: event {EventId} delivered at attempt {Attempt} (HTTP {Status})")]
    public static partial void WebhookDelivered(ILogger logger, string subscriptionId, string eventId, int attempt, int status);

    [LoggerMessage(EventId = 1946, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: event {EventId} attempt {Attempt} failed (HTTP {Status}, {Error}); retried at {RetryAt:o}")]
    public static partial void WebhookAttemptFailed(ILogger logger, string subscriptionId, string eventId, int attempt, int? status, string? error, DateTimeOffset retryAt);

    [LoggerMessage(EventId = 1947, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: event {EventId} dead-lettered after {Attempts} attempts (last: HTTP {Status}, {Error})")]
    public static partial void WebhookDeadLettered(ILogger logger, string subscriptionId, string eventId, int attempts, int? status, string? error);

    [LoggerMessage(EventId = 1948, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId} disabled: the receiver answered 410 Gone")]
    public static partial void WebhookSubscriptionGone(ILogger logger, string subscriptionId);

    [LoggerMessage(EventId = 1949, Level = LogLevel.Error, Message = "A webhook delivery round failed; its deliveries stay queued for the next")]
    public static partial void WebhookRoundFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1950, Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: event {EventId} not sent, its attempt could not be audited; retried later")]
    public static partial void WebhookAuditUnavailable(ILogger logger, string subscriptionId, string eventId);

    [LoggerMessage(EventId = 1921, Level = LogLevel.Information, Message = "Data-subject request {RequestId} fulfilled by {Action} for subject {SubjectId}")]
    public static partial void RequestFulfilled(ILogger logger, string requestId, string action, string subjectId);
}
