-- One-time links to download an export (GDPR Art. 15 and 20) that an officer fulfilling a request has the vault e-mail
-- to the subject's address on record, for a subject with no portal account. Only the SHA-256 of the 256-bit token is
-- kept, so the table alone opens nothing; a link expires, and works once (used_at).
CREATE TABLE request_export_links (
    id          TEXT NOT NULL PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id),
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    token_hash  BLOB NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT NULL
);
CREATE INDEX ix_request_export_links_request ON request_export_links (request_id);
