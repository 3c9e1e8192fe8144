-- Erasure shreds a key group's data key in its own transaction and queues the group here; the
-- group's ciphertexts, unreadable from that moment, are deleted (overwritten) in bounded chunks by
-- the vault writer in the background, so the erasure's cost does not grow with the subject's
-- history. The queue is durable: a purge interrupted by a restart resumes from it.
CREATE TABLE ciphertext_purges (
    subject_id TEXT NOT NULL REFERENCES subjects (id),
    key_group  TEXT NOT NULL,
    queued_at  TEXT NOT NULL,
    PRIMARY KEY (subject_id, key_group)
) WITHOUT ROWID;
