-- The mail channel's outbox: messages accepted from a request and not yet delivered. A background
-- sender delivers them (SMTP or a pickup directory), retrying with growing delays, and deletes each
-- row once its message is delivered or given up. The address, subject line and bodies are personal
-- data and may hold a working link, so they are stored only protected by Data Protection (message);
-- recipient_mask (a***@example.com) is what audit entries show. An erasure deletes the subject's
-- queued messages in its own transaction.
CREATE TABLE mail_outbox (
    id              TEXT    NOT NULL PRIMARY KEY,
    kind            TEXT    NOT NULL,
    subject_id      TEXT    NULL,
    recipient_mask  TEXT    NOT NULL,
    message         BLOB    NOT NULL,
    queued_at       TEXT    NOT NULL,
    attempts        INTEGER NOT NULL,
    next_attempt_at TEXT    NOT NULL
);
CREATE INDEX ix_mail_outbox_due ON mail_outbox (next_attempt_at);
CREATE INDEX ix_mail_outbox_subject ON mail_outbox (subject_id) WHERE subject_id IS NOT NULL;
