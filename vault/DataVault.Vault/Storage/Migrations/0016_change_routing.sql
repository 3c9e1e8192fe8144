-- Who is told of each change event (GDPR Art. 17(2), 19): every client that received an affected field for an
-- affected purpose, or provided the subject's data, before the event; and clients registered for the purpose when
-- the change makes the subject processable for it. One row per (client, event), numbered across the vault in the
-- order routing commits them: a client's feed is its rows in that order, and the number is its cursor. A client
-- found late (a release whose audit entry committed after the event) gets a new, higher number, so no cursor can
-- have passed it already. The number comes from the head row, raised in the routing transaction, as for the events.
CREATE TABLE change_recipient_head (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    feed_sequence INTEGER NOT NULL
);
INSERT INTO change_recipient_head (id, feed_sequence) VALUES (1, 0);

CREATE TABLE change_recipients (
    client_id     TEXT    NOT NULL,     -- OAuth client_id
    feed_sequence INTEGER NOT NULL,
    sequence      INTEGER NOT NULL REFERENCES change_events (sequence),
    reason        TEXT    NOT NULL CHECK (reason IN ('received', 'provided', 'registered')),
    routed_at     TEXT    NOT NULL,
    PRIMARY KEY (client_id, feed_sequence)
) WITHOUT ROWID;
CREATE UNIQUE INDEX ux_change_recipients_event ON change_recipients (sequence, client_id);
