-- The person behind a system's access: a staff member using a CRM's screens, whose token names both
-- the client (actor_id) and them. NULL for every entry made before, and for a system acting on its own.
-- Hash chain format 2: an entry with a person hashes it as an eleventh field; an entry without one
-- hashes exactly as in format 1, so every entry written before this column existed still verifies.
ALTER TABLE audit_entries ADD COLUMN on_behalf_of TEXT NULL;
CREATE INDEX ix_audit_person ON audit_entries (on_behalf_of, sequence) WHERE on_behalf_of IS NOT NULL;
