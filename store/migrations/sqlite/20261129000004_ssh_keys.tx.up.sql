-- Members' SSH public keys, and account events (see the PostgreSQL migration).
CREATE TABLE ssh_key (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    public_key TEXT NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    created TIMESTAMP NOT NULL,
    CONSTRAINT ssh_key_fingerprint_key UNIQUE (fingerprint)
);
CREATE INDEX ssh_key_user_idx ON ssh_key (user_id, id);

CREATE TRIGGER event_account_revoked AFTER UPDATE OF tokens_after ON "user"
    BEGIN INSERT INTO event (kind, post_id, user_id) VALUES (5, 0, OLD.id); END;
CREATE TRIGGER event_account_deleted AFTER DELETE ON "user"
    BEGIN INSERT INTO event (kind, post_id, user_id) VALUES (5, 0, OLD.id); END;
