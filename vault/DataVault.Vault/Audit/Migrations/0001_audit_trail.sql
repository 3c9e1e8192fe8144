-- The audit trail lives in its own SQLite file: it is written with full durability (one fsync per
-- group commit), can be copied and verified on its own, and a failing audit store is noticed as such.
-- Never a personal value, ciphertext, secret or token: ids, names of fields, codes.
-- fields: the names of the fields read, released or written; withheld: field:reason pairs.
CREATE TABLE audit_entries (
    sequence     INTEGER NOT NULL PRIMARY KEY,
    occurred_at  TEXT    NOT NULL,
    actor_type   TEXT    NOT NULL,
    actor_id     TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    subject_id   TEXT    NULL,
    purpose_id   TEXT    NULL,
    fields       TEXT    NULL,
    withheld     TEXT    NULL,
    outcome      TEXT    NOT NULL,
    trace_id     TEXT    NULL,
    previous_hash BLOB   NOT NULL,
    hash         BLOB    NOT NULL
);
CREATE INDEX ix_audit_subject ON audit_entries (subject_id, sequence) WHERE subject_id IS NOT NULL;
CREATE INDEX ix_audit_actor ON audit_entries (actor_id, sequence);
CREATE INDEX ix_audit_action ON audit_entries (action, sequence);

-- Signed checkpoints of the chain head (ECDSA P-256, JWS): exported copies prove later that
-- nothing up to that sequence number was changed.
CREATE TABLE audit_checkpoints (
    sequence    INTEGER NOT NULL PRIMARY KEY,
    hash        BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    key_id      TEXT    NOT NULL,
    public_jwk  TEXT    NOT NULL,
    signature   TEXT    NOT NULL
);
