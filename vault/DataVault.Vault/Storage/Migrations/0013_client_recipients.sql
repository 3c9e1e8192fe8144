-- What the record of processing activities (GDPR Art. 30(1)(d)-(e)) says about each integrating system
-- as a recipient: its category (one of our own systems, a processor acting for us under Art. 28, or a
-- third party that becomes a controller of what it receives), and a transfer to a third country outside
-- the EEA, if it receives data there: the country (ISO 3166-1 alpha-2) and the safeguard the transfer
-- rests on (Art. 45 adequacy decision or Art. 46 safeguard, e.g. "SCC 2021/914"), always together.
-- A table of its own beside clients, so that the token service's use of clients is untouched by it.
CREATE TABLE client_recipients (
    client_id          TEXT NOT NULL PRIMARY KEY REFERENCES clients (id),
    category           TEXT NULL CHECK (category IN ('own-system', 'processor', 'third-party')),
    transfer_country   TEXT NULL CHECK (transfer_country IS NULL OR length(transfer_country) = 2),
    transfer_safeguard TEXT NULL,
    updated_at         TEXT NOT NULL,
    CHECK ((transfer_country IS NULL) = (transfer_safeguard IS NULL))
);
