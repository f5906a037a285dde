-- Blocks and mutes (docs/API.md §3c); see the PostgreSQL migration.
CREATE TABLE block (
    from_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date TIMESTAMP NOT NULL,
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT block_not_self CHECK (from_id <> to_id)
) WITHOUT ROWID;
CREATE INDEX block_to_idx ON block (to_id, from_id);
CREATE INDEX block_from_date_idx ON block (from_id, date DESC, to_id DESC);

CREATE TABLE mute (
    from_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date TIMESTAMP NOT NULL,
    notifications BOOLEAN NOT NULL DEFAULT 1,
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT mute_not_self CHECK (from_id <> to_id)
) WITHOUT ROWID;
CREATE INDEX mute_from_date_idx ON mute (from_id, date DESC, to_id DESC);

-- Event kind 6: user_id now hides the member in post_id; kind 7: no
-- longer, for this reason (see the PostgreSQL migration).
CREATE TRIGGER event_block_added AFTER INSERT ON block BEGIN
    INSERT INTO event (kind, post_id, user_id) VALUES (6, NEW.to_id, NEW.from_id), (6, NEW.from_id, NEW.to_id);
END;
CREATE TRIGGER event_block_removed AFTER DELETE ON block BEGIN
    INSERT INTO event (kind, post_id, user_id) VALUES (7, OLD.to_id, OLD.from_id), (7, OLD.from_id, OLD.to_id);
END;
CREATE TRIGGER event_mute_added AFTER INSERT ON mute BEGIN
    INSERT INTO event (kind, post_id, user_id) VALUES (6, NEW.to_id, NEW.from_id);
END;
CREATE TRIGGER event_mute_removed AFTER DELETE ON mute BEGIN
    INSERT INTO event (kind, post_id, user_id) VALUES (7, OLD.to_id, OLD.from_id);
END;
