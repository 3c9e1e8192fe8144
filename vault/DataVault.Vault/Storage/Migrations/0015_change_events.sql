-- Facts recipients must hear of (GDPR Art. 7(3), 17(2), 19): a consent withdrawn, an objection, a restriction, a
-- rectification, an erasure, a new purpose version. Each is written in the transaction of its change, so none
-- exists for a change that rolled back. Never values: ids, names and codes only, kept like audit entries.
--
-- The sequence comes from the head row, raised in that transaction: gap-free and in commit order, as the head
-- row serializes its writers. An identity column would number at insert rather than at commit, and lose numbers
-- to rollbacks. The epoch is raised when a database is restored from a backup, so that cursors taken before the
-- restore are told to start again rather than silently miss what was lost.
CREATE TABLE change_feed_head (
    id       INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    sequence INTEGER NOT NULL,
    epoch    INTEGER NOT NULL
);
INSERT INTO change_feed_head (id, sequence, epoch) VALUES (1, 0, 1);

CREATE TABLE change_events (
    sequence    INTEGER NOT NULL PRIMARY KEY,
    id          TEXT    NOT NULL UNIQUE,
    type        TEXT    NOT NULL,
    occurred_at TEXT    NOT NULL,
    subject_id  TEXT    NULL,
    purposes    TEXT    NOT NULL,       -- comma-separated purpose ids, '' for none
    fields      TEXT    NOT NULL,       -- comma-separated field names, '' for none
    request_id  TEXT    NULL,           -- the data-subject request the change fulfils
    actor_type  TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    data        TEXT    NULL,           -- small JSON object of codes (purpose versions, scope)
    routing     INTEGER NOT NULL DEFAULT 0 CHECK (routing IN (0, 1, 2))   -- 0 new, 1 routed once, 2 routed for good
);
CREATE INDEX ix_change_events_subject ON change_events (subject_id, sequence) WHERE subject_id IS NOT NULL;
CREATE INDEX ix_change_events_request ON change_events (request_id) WHERE request_id IS NOT NULL;
CREATE INDEX ix_change_events_routing ON change_events (sequence) WHERE routing < 2;
