-- "Forgot password": a one-time link e-mailed to the account's address on record. Only the SHA-256 of
-- the link's 256-bit token is stored (token_hash), never the token. A link works once (used_at), until
-- expires_at, and a newer one for the same account revokes the unused earlier ones (revoked_at). The
-- rows of a customer's account are deleted with it when the subject is erased.
CREATE TABLE password_resets (
    id          TEXT NOT NULL PRIMARY KEY,
    account_id  TEXT NOT NULL REFERENCES "AspNetUsers" ("Id"),
    token_hash  BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    used_at     TEXT NULL,
    revoked_at  TEXT NULL
);
CREATE UNIQUE INDEX ix_password_resets_token ON password_resets (token_hash);
CREATE INDEX ix_password_resets_account ON password_resets (account_id);
