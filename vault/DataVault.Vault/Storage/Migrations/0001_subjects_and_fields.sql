-- Subjects carry no personal data: an opaque id and a status.
CREATE TABLE subjects (
    id          TEXT NOT NULL PRIMARY KEY,
    status      TEXT NOT NULL CHECK (status IN ('active', 'restricted', 'erased')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

-- One data key per subject and key group, stored only wrapped by the key-encryption key.
CREATE TABLE data_keys (
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    key_group   TEXT NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    PRIMARY KEY (subject_id, key_group)
);

-- Append-only field versions: rectification (GDPR Art. 16) adds a version, reads take the latest.
CREATE TABLE field_values (
    subject_id  TEXT    NOT NULL REFERENCES subjects (id),
    field       TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    key_group   TEXT    NOT NULL,
    ciphertext  BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (subject_id, field, version)
);

-- Keyed digests (HMAC-SHA256) of the latest value of searchable fields, never a plain hash.
CREATE TABLE blind_index (
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    field       TEXT NOT NULL,
    digest      BLOB NOT NULL,
    PRIMARY KEY (subject_id, field)
);
CREATE INDEX ix_blind_index_field_digest ON blind_index (field, digest);

-- Vault-wide secrets (the blind-index key), wrapped by the key-encryption key.
CREATE TABLE vault_secrets (
    name          TEXT NOT NULL PRIMARY KEY,
    wrapped_value BLOB NOT NULL,
    created_at    TEXT NOT NULL
);
