-- Signed webhooks (Standard Webhooks) and acknowledgements of change events (GDPR Art. 17(2), 19).
--
-- A subscription belongs to one client: where its events are posted, which event types it wants ('' for all), and
-- its signing secret, protected with Data Protection (HMAC needs the secret itself, so it cannot be hashed). While a
-- rotated-out secret is still inside its overlap, deliveries are signed with both.
CREATE TABLE webhook_subscriptions (
    id                     TEXT    NOT NULL PRIMARY KEY,   -- whk_…
    client_id              TEXT    NOT NULL,               -- OAuth client_id
    url                    TEXT    NOT NULL,
    event_types            TEXT    NOT NULL,               -- comma-separated change types, '' for every type
    secret                 BLOB    NOT NULL,
    previous_secret        BLOB    NULL,
    previous_secret_until  TEXT    NULL,
    created_at             TEXT    NOT NULL,
    secret_rotated_at      TEXT    NULL,
    disabled_at            TEXT    NULL,
    disabled_reason        TEXT    NULL CHECK (disabled_reason IN ('gone')),
    CHECK ((previous_secret IS NULL) = (previous_secret_until IS NULL))
);
CREATE INDEX ix_webhook_subscriptions_client ON webhook_subscriptions (client_id);

-- The delivery outbox: one row per (subscription, event), written in the routing transaction that tells the client
-- of the event, so no event is routed without its deliveries and none exists for routing that rolled back. Ids only
-- grow (AUTOINCREMENT never reuses one), and a subscription's deliveries are sent strictly in id order.
CREATE TABLE webhook_deliveries (
    id               INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    subscription_id  TEXT    NOT NULL REFERENCES webhook_subscriptions (id),
    sequence         INTEGER NOT NULL REFERENCES change_events (sequence),
    state            TEXT    NOT NULL CHECK (state IN ('pending', 'delivered', 'dead')),
    attempts         INTEGER NOT NULL,
    created_at       TEXT    NOT NULL,                     -- the give-up period counts from here (and from a replay)
    next_attempt_at  TEXT    NOT NULL,
    last_attempt_at  TEXT    NULL,
    last_status      INTEGER NULL,                         -- the receiver's HTTP status; null when it gave none
    last_error       TEXT    NULL,                         -- a short code (timeout, connection, refused-address), never a body
    completed_at     TEXT    NULL,
    UNIQUE (subscription_id, sequence)
);
CREATE INDEX ix_webhook_deliveries_pending ON webhook_deliveries (subscription_id, id) WHERE state = 'pending';
CREATE INDEX ix_webhook_deliveries_dead ON webhook_deliveries (subscription_id, id) WHERE state = 'dead';

-- Art. 19 evidence: a recipient acknowledged an event, by a 2xx to a webhook delivery or through the feed.
CREATE TABLE change_acknowledgements (
    client_id        TEXT    NOT NULL,
    sequence         INTEGER NOT NULL REFERENCES change_events (sequence),
    acknowledged_at  TEXT    NOT NULL,
    channel          TEXT    NOT NULL CHECK (channel IN ('webhook', 'feed')),
    PRIMARY KEY (client_id, sequence)
) WITHOUT ROWID;
