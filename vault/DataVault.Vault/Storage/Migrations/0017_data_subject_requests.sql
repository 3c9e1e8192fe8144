-- Data-subject requests (GDPR Art. 12 to 22) and their history, for the controller to answer each within its
-- legal deadline (Art. 12(3)) and prove it (Art. 5(2)). A request holds codes, dates and ids, never a field
-- value; the requester's contact details (for a requester not yet linked to a subject) are personal data, so
-- they are kept only in payload, protected by Data Protection, and masked in requester_mask for lists.
-- Dates (received_date, due dates, paused_since) are calendar days where the controller is; instants are UTC.
CREATE TABLE requests (
    id                   TEXT NOT NULL PRIMARY KEY,
    type                 TEXT NOT NULL CHECK (type IN ('access', 'portability', 'rectification', 'erasure', 'restriction', 'objection', 'consent-withdrawal')),
    subject_id           TEXT NULL REFERENCES subjects (id),
    requester_mask       TEXT NULL,
    payload              BLOB NULL,
    channel              TEXT NOT NULL CHECK (channel IN ('portal', 'api', 'email', 'phone', 'letter', 'in-person')),
    received_at          TEXT NOT NULL,
    received_date        TEXT NOT NULL,
    language             TEXT NOT NULL,
    status               TEXT NOT NULL CHECK (status IN ('received', 'identity-check', 'in-progress', 'completed', 'refused', 'withdrawn')),
    assignee             TEXT NULL,
    due_date             TEXT NOT NULL,
    first_due_date       TEXT NOT NULL,
    extension_months     INTEGER NOT NULL DEFAULT 0 CHECK (extension_months BETWEEN 0 AND 2),
    extension_reason     TEXT NULL,
    paused_days          INTEGER NOT NULL DEFAULT 0 CHECK (paused_days >= 0),
    paused_since         TEXT NULL CHECK (paused_since IS NULL OR status = 'identity-check'),
    identity_method      TEXT NULL,
    identity_verified_at TEXT NULL,
    refusal_reason       TEXT NULL,
    closed_at            TEXT NULL,
    closed_by            TEXT NULL,
    on_time              INTEGER NULL,
    created_by           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CHECK ((extension_months = 0) = (extension_reason IS NULL)),
    CHECK ((status IN ('completed', 'refused', 'withdrawn')) = (closed_at IS NOT NULL))
);
CREATE INDEX ix_requests_due ON requests (closed_at IS NOT NULL, due_date, id);
CREATE INDEX ix_requests_subject ON requests (subject_id) WHERE subject_id IS NOT NULL;
CREATE INDEX ix_requests_received ON requests (received_date);

-- The history of a request, append-only and numbered 1, 2, ... per request: who did what when. A note is the officer's own words about the
-- handling, never a copy of the subject's data.
CREATE TABLE request_events (
    id           TEXT NOT NULL PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    sequence     INTEGER NOT NULL,
    occurred_at  TEXT NOT NULL,
    actor_type   TEXT NOT NULL,
    actor_id     TEXT NOT NULL,
    kind         TEXT NOT NULL,
    from_status  TEXT NULL,
    to_status    TEXT NULL,
    detail       TEXT NULL,
    note         TEXT NULL
);
CREATE UNIQUE INDEX ix_request_events_request ON request_events (request_id, sequence);

-- One-time codes that verify a requester's identity (Art. 12(6)): sent only to the e-mail address on record
-- of the subject the request concerns, never to one the requester gave. Only a keyed digest of the code is
-- kept (8 digits are guessed quickly from an unkeyed hash), with the digest of the address it went to, so a
-- code stops working when the address on record changes; it expires, and allows a few attempts.
CREATE TABLE request_challenges (
    id           TEXT NOT NULL PRIMARY KEY,
    request_id   TEXT NOT NULL REFERENCES requests (id),
    code_hash    BLOB NOT NULL,
    email_digest BLOB NOT NULL,
    sent_at      TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    attempts     INTEGER NOT NULL DEFAULT 0,
    used_at      TEXT NULL,
    revoked_at   TEXT NULL
);
CREATE INDEX ix_request_challenges_request ON request_challenges (request_id);

-- A notice about a request is queued in the same transaction as the change it reports; the request it belongs
-- to is named so the history can show it.
ALTER TABLE mail_outbox ADD COLUMN request_id TEXT NULL;
CREATE INDEX ix_mail_outbox_request ON mail_outbox (request_id) WHERE request_id IS NOT NULL;
