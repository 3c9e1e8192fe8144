-- Restrictions (GDPR Art. 18) and objections (Art. 21) recorded or lifted by a compliance officer
-- from the desk, not only by a client or the subject; and every objection event with the reason it
-- was recorded or lifted for, as restriction events already have. Who recorded a choice decides who
-- may lift it: a client may not undo what the subject or an officer decided.
--
-- SQLite cannot change a CHECK constraint in place, so both tables are rebuilt with their rows.

CREATE TABLE objection_events_v2 (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    purpose_id  TEXT NULL,
    action      TEXT NOT NULL CHECK (action IN ('objected', 'lifted')),
    source      TEXT NOT NULL CHECK (source IN ('api', 'portal', 'gpc', 'import', 'desk')),
    occurred_at TEXT NOT NULL,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('client', 'subject', 'officer')),
    actor_id    TEXT NOT NULL,
    reason      TEXT NULL
);

INSERT INTO objection_events_v2 (id, subject_id, purpose_id, action, source, occurred_at, actor_type, actor_id, reason)
SELECT id, subject_id, purpose_id, action, source, occurred_at, actor_type, actor_id, NULL
FROM objection_events;

DROP TABLE objection_events;
ALTER TABLE objection_events_v2 RENAME TO objection_events;
CREATE INDEX ix_objection_events_subject ON objection_events (subject_id, occurred_at);

CREATE TABLE restriction_events_v2 (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    action      TEXT NOT NULL CHECK (action IN ('restricted', 'lifted')),
    reason      TEXT NOT NULL,
    occurred_at TEXT NOT NULL,
    actor_type  TEXT NOT NULL CHECK (actor_type IN ('client', 'subject', 'officer')),
    actor_id    TEXT NOT NULL
);

INSERT INTO restriction_events_v2 (id, subject_id, action, reason, occurred_at, actor_type, actor_id)
SELECT id, subject_id, action, reason, occurred_at, actor_type, actor_id
FROM restriction_events;

DROP TABLE restriction_events;
ALTER TABLE restriction_events_v2 RENAME TO restriction_events;
CREATE INDEX ix_restriction_events_subject ON restriction_events (subject_id, occurred_at);
