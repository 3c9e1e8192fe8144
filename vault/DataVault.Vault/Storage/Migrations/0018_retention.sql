-- Retention per purpose (GDPR Art. 5(1)(e), 17(1)(a)): a contract or legitimate-interest purpose's retention is
-- counted from the end of the relationship it served. Each end is an event, kept like consent and objection events
-- (only erasure removes them), with who recorded it and why.
CREATE TABLE relationship_events (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    purpose_id  TEXT NOT NULL,
    ended_at    TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    actor_type  TEXT NOT NULL,
    actor_id    TEXT NOT NULL,
    reason      TEXT NULL
);
CREATE INDEX ix_relationship_events_subject ON relationship_events (subject_id, purpose_id, ended_at);

-- Where the retention sweep is in its pass over the subjects, so that a restart resumes after the last subject
-- it finished rather than from the start. One row at most.
CREATE TABLE retention_sweep (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    after_subject_id TEXT    NOT NULL,
    pass_started_at  TEXT    NOT NULL
);
