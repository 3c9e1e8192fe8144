-- The data-subject request an action was taken for (GDPR Art. 12(3): the controller proves what it did to answer
-- each request), so the trail shows the request id on every entry made while fulfilling it. NULL for every entry
-- made before, and for an action taken for no request.
-- Hash chain format 3: an entry with a request hashes the person (null written as length -1) as an eleventh field and
-- the request as a twelfth; an entry without one hashes exactly as in format 1 or 2, so every entry written before this
-- column existed still verifies.
ALTER TABLE audit_entries ADD COLUMN request_id TEXT NULL;
CREATE INDEX ix_audit_request ON audit_entries (request_id, sequence) WHERE request_id IS NOT NULL;
