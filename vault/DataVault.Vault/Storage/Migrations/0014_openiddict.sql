-- The token service moves onto OpenIddict (its EF Core stores), and staff gain the agent role.
-- Self-contained: it changes nothing another migration of the same release depends on.

-- clients becomes OpenIddict's application table in place: the same rows, ids and PBKDF2 hashes, so
-- every client registered before keeps authenticating with its id and secret. client_id is a generated
-- copy of id, because OpenIddict looks clients up by it. A client authenticating with a public key
-- (private_key_jwt) or a public client has no secret.
--
-- client_recipients (migration 13) refers to clients, so dropping the old table would fail while it holds
-- rows: they are set aside and put back once the new table holds the same ids.
CREATE TABLE client_recipients_kept AS SELECT * FROM client_recipients;
DELETE FROM client_recipients;
CREATE TABLE clients_new (
    id                        TEXT NOT NULL PRIMARY KEY,
    client_id                 TEXT GENERATED ALWAYS AS (id) VIRTUAL,
    display_name              TEXT NOT NULL,
    secret_hash               TEXT NULL,
    scopes                    TEXT NOT NULL,
    allowed_purposes          TEXT NOT NULL,
    created_at                TEXT NOT NULL,
    secret_rotated_at         TEXT NOT NULL,
    disabled_at               TEXT NULL,
    client_type               TEXT NOT NULL DEFAULT 'confidential' CHECK (client_type IN ('confidential', 'public')),
    application_type          TEXT NULL,
    consent_type              TEXT NOT NULL DEFAULT 'explicit',
    display_names             TEXT NULL,
    json_web_key_set          TEXT NULL,
    redirect_uris             TEXT NULL,
    post_logout_redirect_uris TEXT NULL,
    requirements              TEXT NULL,
    settings                  TEXT NULL,
    properties                TEXT NULL,
    concurrency_token         TEXT NULL
);
INSERT INTO clients_new (id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at, disabled_at, concurrency_token)
SELECT id, display_name, secret_hash, scopes, allowed_purposes, created_at, secret_rotated_at, disabled_at, lower(hex(randomblob(16))) FROM clients;
DROP TABLE clients;
ALTER TABLE clients_new RENAME TO clients;
CREATE UNIQUE INDEX "IX_clients_client_id" ON clients (client_id);
INSERT INTO client_recipients (client_id, category, transfer_country, transfer_safeguard, updated_at)
SELECT client_id, category, transfer_country, transfer_safeguard, updated_at FROM client_recipients_kept;
DROP TABLE client_recipients_kept;

-- Dropping the table dropped the change counter's triggers (migration 8): the same again.
CREATE TRIGGER tr_clients_insert_bumps_version AFTER INSERT ON clients
BEGIN
    UPDATE client_registry_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_clients_update_bumps_version AFTER UPDATE ON clients
BEGIN
    UPDATE client_registry_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_clients_delete_bumps_version AFTER DELETE ON clients
BEGIN
    UPDATE client_registry_version SET version = version + 1 WHERE id = 1;
END;

-- OpenIddict's tables as EF Core creates them for SQLite (OAuthDbContext).
CREATE TABLE "OpenIddictScopes" (
    "Id"               TEXT NOT NULL CONSTRAINT "PK_OpenIddictScopes" PRIMARY KEY,
    "ConcurrencyToken" TEXT NULL,
    "Description"      TEXT NULL,
    "Descriptions"     TEXT NULL,
    "DisplayName"      TEXT NULL,
    "DisplayNames"     TEXT NULL,
    "Name"             TEXT NULL,
    "Properties"       TEXT NULL,
    "Resources"        TEXT NULL
);
CREATE UNIQUE INDEX "IX_OpenIddictScopes_Name" ON "OpenIddictScopes" ("Name");

CREATE TABLE "OpenIddictAuthorizations" (
    "Id"               TEXT NOT NULL CONSTRAINT "PK_OpenIddictAuthorizations" PRIMARY KEY,
    "ApplicationId"    TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate"     TEXT NULL,
    "Properties"       TEXT NULL,
    "Scopes"           TEXT NULL,
    "Status"           TEXT NULL,
    "Subject"          TEXT NULL,
    "Type"             TEXT NULL,
    CONSTRAINT "FK_OpenIddictAuthorizations_clients_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES clients (id)
);
CREATE INDEX "IX_OpenIddictAuthorizations_ApplicationId_Status_Subject_Type" ON "OpenIddictAuthorizations" ("ApplicationId", "Status", "Subject", "Type");
CREATE INDEX ix_openiddict_authorizations_subject ON "OpenIddictAuthorizations" ("Subject");

CREATE TABLE "OpenIddictTokens" (
    "Id"               TEXT NOT NULL CONSTRAINT "PK_OpenIddictTokens" PRIMARY KEY,
    "ApplicationId"    TEXT NULL,
    "AuthorizationId"  TEXT NULL,
    "ConcurrencyToken" TEXT NULL,
    "CreationDate"     TEXT NULL,
    "ExpirationDate"   TEXT NULL,
    "Payload"          TEXT NULL,
    "Properties"       TEXT NULL,
    "RedemptionDate"   TEXT NULL,
    "ReferenceId"      TEXT NULL,
    "Status"           TEXT NULL,
    "Subject"          TEXT NULL,
    "Type"             TEXT NULL,
    CONSTRAINT "FK_OpenIddictTokens_OpenIddictAuthorizations_AuthorizationId" FOREIGN KEY ("AuthorizationId") REFERENCES "OpenIddictAuthorizations" ("Id"),
    CONSTRAINT "FK_OpenIddictTokens_clients_ApplicationId" FOREIGN KEY ("ApplicationId") REFERENCES clients (id)
);
CREATE INDEX "IX_OpenIddictTokens_ApplicationId_Status_Subject_Type" ON "OpenIddictTokens" ("ApplicationId", "Status", "Subject", "Type");
CREATE INDEX "IX_OpenIddictTokens_AuthorizationId" ON "OpenIddictTokens" ("AuthorizationId");
CREATE UNIQUE INDEX "IX_OpenIddictTokens_ReferenceId" ON "OpenIddictTokens" ("ReferenceId");
CREATE INDEX ix_openiddict_tokens_subject ON "OpenIddictTokens" ("Subject");

-- A revocation counter, as migration 8's for clients: every way a token or authorization is revoked
-- (the revocation endpoint, a replayed code, the triggers below, plain SQL) moves it in the same
-- transaction, so the API can tell with the one read per request it makes anyway whether its copy of
-- the revoked ids is current, instead of looking every token up.
CREATE TABLE token_revocation_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO token_revocation_version (id, version) VALUES (1, 1);

CREATE TRIGGER tr_tokens_revoked_bumps_version AFTER UPDATE OF "Status" ON "OpenIddictTokens"
WHEN NEW."Status" = 'revoked' AND OLD."Status" IS NOT 'revoked'
BEGIN
    UPDATE token_revocation_version SET version = version + 1 WHERE id = 1;
END;

CREATE TRIGGER tr_authorizations_revoked_bumps_version AFTER UPDATE OF "Status" ON "OpenIddictAuthorizations"
WHEN NEW."Status" = 'revoked' AND OLD."Status" IS NOT 'revoked'
BEGIN
    UPDATE token_revocation_version SET version = version + 1 WHERE id = 1;
END;

-- A new secret or public key, or disabling the client, revokes everything issued to it before,
-- whoever changes the row (the service, the CLI in another process, SQL). The concurrency token
-- changes too, so a refresh already in flight with the old row cannot redeem it.
CREATE TRIGGER tr_clients_credentials_revoke_tokens AFTER UPDATE OF secret_hash, json_web_key_set, disabled_at ON clients
WHEN OLD.secret_hash IS NOT NEW.secret_hash
    OR OLD.json_web_key_set IS NOT NEW.json_web_key_set
    OR (NEW.disabled_at IS NOT NULL AND OLD.disabled_at IS NULL)
BEGIN
    UPDATE "OpenIddictTokens" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "ApplicationId" = NEW.id AND "Status" IN ('valid', 'inactive');
    UPDATE "OpenIddictAuthorizations" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "ApplicationId" = NEW.id AND "Status" = 'valid';
END;

-- Staff using a CRM's screens (authorization code flow) are agents; the name the audit trail's readers
-- see ("Demo CRM, by J. Smith") is the account's display name.
INSERT INTO "AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES ('agent', 'agent', 'AGENT', 'agent');
ALTER TABLE "AspNetUsers" ADD COLUMN "DisplayName" TEXT NULL;

-- A staff account's security stamp changes when it is disabled (and when its password or second
-- factor changes): what it consented to and every token issued on its behalf are revoked with it. Only
-- code-flow tokens belong to a person; a client's own tokens carry no authorization.
CREATE TRIGGER tr_staff_stamp_revokes_tokens AFTER UPDATE OF "SecurityStamp" ON "AspNetUsers"
WHEN OLD."SecurityStamp" IS NOT NEW."SecurityStamp"
BEGIN
    UPDATE "OpenIddictTokens" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "Subject" = NEW."Id" AND "AuthorizationId" IS NOT NULL AND "Status" IN ('valid', 'inactive');
    UPDATE "OpenIddictAuthorizations" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "Subject" = NEW."Id" AND "Status" = 'valid';
END;

CREATE TRIGGER tr_staff_delete_revokes_tokens AFTER DELETE ON "AspNetUsers"
BEGIN
    UPDATE "OpenIddictTokens" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "Subject" = OLD."Id" AND "AuthorizationId" IS NOT NULL AND "Status" IN ('valid', 'inactive');
    UPDATE "OpenIddictAuthorizations" SET "Status" = 'revoked', "ConcurrencyToken" = lower(hex(randomblob(16)))
    WHERE "Subject" = OLD."Id" AND "Status" = 'valid';
END;
