-- Consent events (GDPR Art. 7; ISO/IEC TS 27560 shape): append-only, never updated; deleted only
-- when the subject is erased. The current state is derived from the latest event per purpose.
CREATE TABLE consent_events (
    id                TEXT NOT NULL PRIMARY KEY,
    subject_id        TEXT NOT NULL REFERENCES subjects (id),
    purpose_id        TEXT NOT NULL,
    purpose_version   TEXT NOT NULL,
    state             TEXT NOT NULL CHECK (state IN ('given', 'refused', 'withdrawn', 'expired')),
    occurred_at       TEXT NOT NULL,
    recorded_at       TEXT NOT NULL,
    expires_at        TEXT NULL,
    collection_method TEXT NOT NULL CHECK (collection_method IN ('api', 'portal', 'import')),
    actor_type        TEXT NOT NULL CHECK (actor_type IN ('client', 'subject')),
    actor_id          TEXT NOT NULL,
    notice_language   TEXT NOT NULL,
    evidence          TEXT NULL
);
CREATE INDEX ix_consent_events_subject_purpose ON consent_events (subject_id, purpose_id, occurred_at);

-- Objections (Art. 21) per purpose, or to all processing when purpose_id is NULL; and
-- restrictions (Art. 18). Both append-only: lifting is a new event.
CREATE TABLE objection_events (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    purpose_id  TEXT NULL,
    action      TEXT NOT NULL CHECK (action IN ('objected', 'lifted')),
    source      TEXT NOT NULL CHECK (source IN ('api', 'portal', 'gpc', 'import')),
    occurred_at TEXT NOT NULL,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('client', 'subject')),
    actor_id    TEXT NOT NULL
);
CREATE INDEX ix_objection_events_subject ON objection_events (subject_id, occurred_at);

CREATE TABLE restriction_events (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    action      TEXT NOT NULL CHECK (action IN ('restricted', 'lifted')),
    reason      TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('client', 'subject')),
    actor_id    TEXT NOT NULL
);
CREATE INDEX ix_restriction_events_subject ON restriction_events (subject_id, occurred_at);

-- When each version of a purpose definition came into force, recorded at start-up from the
-- catalogue, so "did we have consent at that instant?" is judged against the version then in force.
CREATE TABLE purpose_versions (
    purpose_id     TEXT NOT NULL,
    version        TEXT NOT NULL,
    effective_from TEXT NOT NULL,
    PRIMARY KEY (purpose_id, version)
);
