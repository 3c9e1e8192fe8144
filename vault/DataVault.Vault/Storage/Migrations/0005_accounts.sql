-- Portal accounts: the ASP.NET Core Identity tables (schema version 1, as EF Core would create them
-- for SQLite), mapped by AccountsDbContext. A customer's account is linked to exactly one subject
-- (unique SubjectId); staff accounts have a role and no subject. The sign-in address lives here, not in
-- the encrypted field values, and is deleted with the account when its subject is erased.
CREATE TABLE "AspNetUsers" (
    "Id"                   TEXT    NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "UserName"             TEXT    NULL,
    "NormalizedUserName"   TEXT    NULL,
    "Email"                TEXT    NULL,
    "NormalizedEmail"      TEXT    NULL,
    "EmailConfirmed"       INTEGER NOT NULL,
    "PasswordHash"         TEXT    NULL,
    "SecurityStamp"        TEXT    NULL,
    "ConcurrencyStamp"     TEXT    NULL,
    "PhoneNumber"          TEXT    NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled"     INTEGER NOT NULL,
    "LockoutEnd"           TEXT    NULL,
    "LockoutEnabled"       INTEGER NOT NULL,
    "AccessFailedCount"    INTEGER NOT NULL,
    "SubjectId"            TEXT    NULL REFERENCES subjects (id),
    "CreatedAt"            TEXT    NOT NULL
);
CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");
CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");
CREATE UNIQUE INDEX "IX_AspNetUsers_SubjectId" ON "AspNetUsers" ("SubjectId") WHERE "SubjectId" IS NOT NULL;

CREATE TABLE "AspNetRoles" (
    "Id"               TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name"             TEXT NULL,
    "NormalizedName"   TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);
CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");

CREATE TABLE "AspNetRoleClaims" (
    "Id"         INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId"     TEXT    NOT NULL,
    "ClaimType"  TEXT    NULL,
    "ClaimValue" TEXT    NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);
CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");

CREATE TABLE "AspNetUserClaims" (
    "Id"         INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId"     TEXT    NOT NULL,
    "ClaimType"  TEXT    NULL,
    "ClaimValue" TEXT    NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");

CREATE TABLE "AspNetUserLogins" (
    "LoginProvider"       TEXT NOT NULL,
    "ProviderKey"         TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId"              TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");

CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);
CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");

-- Holds the TOTP shared key (protected by Data Protection, see AccountUserStore).
CREATE TABLE "AspNetUserTokens" (
    "UserId"        TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name"          TEXT NOT NULL,
    "Value"         TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

-- The staff roles; fixed ids so every installation has the same rows.
INSERT INTO "AspNetRoles" ("Id", "Name", "NormalizedName", "ConcurrencyStamp") VALUES
    ('officer', 'officer', 'OFFICER', 'officer'),
    ('admin', 'admin', 'ADMIN', 'admin');

-- One-time portal activation links. Only the SHA-256 of the 256-bit token is stored; a newer
-- invitation for the same subject revokes the earlier unused ones.
CREATE TABLE invitations (
    id          TEXT NOT NULL PRIMARY KEY,
    subject_id  TEXT NOT NULL REFERENCES subjects (id),
    token_hash  BLOB NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    redeemed_at TEXT NULL,
    revoked_at  TEXT NULL
);
CREATE UNIQUE INDEX "IX_invitations_token_hash" ON invitations (token_hash);
CREATE INDEX ix_invitations_subject ON invitations (subject_id);
