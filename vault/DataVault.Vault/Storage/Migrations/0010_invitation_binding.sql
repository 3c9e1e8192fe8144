-- An invitation is bound to the address it was e-mailed to: the blind-index digest of the subject's
-- e-mail on record when it was sent (email_digest). Activation takes the account's sign-in address from
-- the vault and works only while that digest is still the one on record, so a link cannot be redeemed
-- for another address, and changing the address voids it. recipient_mask (a***@example.com) is what the
-- activation page shows. identity_evidence names the document an officer checked when the invitation
-- was made at the desk (null for one asked for by a client).
ALTER TABLE invitations ADD COLUMN email_digest BLOB NULL;
ALTER TABLE invitations ADD COLUMN recipient_mask TEXT NULL;
ALTER TABLE invitations ADD COLUMN identity_evidence TEXT NULL;

-- Links made before this version were handed to the requesting client, not e-mailed to the subject:
-- none of them may be redeemed any more.
UPDATE invitations SET revoked_at = strftime('%Y-%m-%dT%H:%M:%f0000Z', 'now')
WHERE redeemed_at IS NULL AND revoked_at IS NULL;
