-- A change counter for the clients table. Triggers bump it in the same transaction as any insert,
-- update or delete of a client, whoever makes it (the service, the `clients` CLI verbs in another
-- process, another instance, plain SQL), so a service that keeps the registered clients in memory
-- can tell with one single-row read per request whether its copy is still current: a disabled
-- client or a removed scope must be refused from the next request on.
CREATE TABLE client_registry_version (
    id      INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO client_registry_version (id, version) VALUES (1, 1);

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
