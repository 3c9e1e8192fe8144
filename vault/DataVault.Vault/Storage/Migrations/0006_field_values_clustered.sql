-- Field versions stored in primary-key order (WITHOUT ROWID): a subject's versions sit together in
-- one b-tree instead of being scattered over the table by insertion order with a separate key index.
-- An erasure then rewrites a few contiguous pages rather than one page per rectification, and the
-- latest-version lookup reads the key index alone.
--
-- secure_delete for this rebuild: the old table's pages are freed by DROP TABLE, and without it they
-- would keep copies of every ciphertext in the free list, out of reach of a later erasure.
PRAGMA secure_delete = ON;

CREATE TABLE field_values_clustered (
    subject_id  TEXT    NOT NULL REFERENCES subjects (id),
    field       TEXT    NOT NULL,
    version     INTEGER NOT NULL CHECK (version >= 1),
    key_group   TEXT    NOT NULL,
    ciphertext  BLOB    NOT NULL,
    created_at  TEXT    NOT NULL,
    PRIMARY KEY (subject_id, field, version)
) WITHOUT ROWID;

INSERT INTO field_values_clustered (subject_id, field, version, key_group, ciphertext, created_at)
SELECT subject_id, field, version, key_group, ciphertext, created_at
FROM field_values
ORDER BY subject_id, field, version;

DROP TABLE field_values;
ALTER TABLE field_values_clustered RENAME TO field_values;
