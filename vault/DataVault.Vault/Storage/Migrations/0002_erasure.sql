-- Erasure by crypto-shredding (GDPR Art. 17): the subject row stays as a tombstone,
-- legal-hold keys survive until their retention ends, and each erasure leaves a receipt.
ALTER TABLE subjects ADD COLUMN erased_at TEXT NULL;

ALTER TABLE data_keys ADD COLUMN retain_until TEXT NULL;
CREATE INDEX ix_data_keys_retain_until ON data_keys (retain_until) WHERE retain_until IS NOT NULL;

CREATE TABLE erasure_receipts (
    id                  TEXT NOT NULL PRIMARY KEY,
    subject_id          TEXT NOT NULL UNIQUE REFERENCES subjects (id),
    erased_at           TEXT NOT NULL,
    requested_by        TEXT NOT NULL,
    shredded_key_groups TEXT NOT NULL,
    retained_key_groups TEXT NOT NULL
);
