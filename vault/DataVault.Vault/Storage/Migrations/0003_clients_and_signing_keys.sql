-- Integrating systems (OAuth 2.0 clients). Secrets are stored only as PBKDF2 hashes.
CREATE TABLE clients (
    id                TEXT NOT NULL PRIMARY KEY,
    display_name      TEXT NOT NULL,
    secret_hash       TEXT NOT NULL,
    scopes            TEXT NOT NULL,
    allowed_purposes  TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    secret_rotated_at TEXT NOT NULL,
    disabled_at       TEXT NULL
);

-- ES256 keys that sign access tokens (and receipts): the private key is protected by Data
-- Protection; keys are published before they sign and after they retire, so rotation overlaps.
CREATE TABLE signing_keys (
    id                    TEXT NOT NULL PRIMARY KEY,
    algorithm             TEXT NOT NULL,
    protected_private_key BLOB NOT NULL,
    public_jwk            TEXT NOT NULL,
    created_at            TEXT NOT NULL,
    not_before            TEXT NOT NULL,
    retire_at             TEXT NOT NULL,
    expires_at            TEXT NOT NULL
);
