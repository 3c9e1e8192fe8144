-- Who received what (GDPR Art. 15(1)(c), 19): for each subject, which client received which fields for which
-- purpose, first and last, folded from the successful audit entries of clients in the transaction that appends
-- them, so the ledger is exactly as durable as the trail it is derived from. purpose_id '' means the fields the
-- client itself provided (it created or rectified the subject, and keeps a copy). Field sets are sorted names,
-- stored once. Ids and names only, like the trail; neither audit pruning nor erasure removes rows, as the
-- recipients of an erasure are who must be told of it.
CREATE TABLE recipient_field_sets (
    id     INTEGER NOT NULL PRIMARY KEY,
    fields TEXT    NOT NULL UNIQUE
);
CREATE TABLE recipient_ledger (
    subject_id     TEXT    NOT NULL,
    client_id      TEXT    NOT NULL,
    purpose_id     TEXT    NOT NULL,
    field_set_id   INTEGER NOT NULL REFERENCES recipient_field_sets (id),
    first_at       TEXT    NOT NULL,
    last_at        TEXT    NOT NULL,     -- to within Audit:LedgerLastSeenGranularity
    first_sequence INTEGER NOT NULL,     -- the audit entry that proves the first release
    last_sequence  INTEGER NOT NULL,
    PRIMARY KEY (subject_id, client_id, purpose_id, field_set_id)
) WITHOUT ROWID;
CREATE INDEX ix_recipient_ledger_client ON recipient_ledger (client_id, subject_id);

-- The last audit entry folded into the ledger: entries of a trail written before the ledger existed are folded
-- in at start, from here on.
CREATE TABLE recipient_ledger_state (
    id               INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    through_sequence INTEGER NOT NULL
);
INSERT INTO recipient_ledger_state (id, through_sequence) VALUES (1, 0);
