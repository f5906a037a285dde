-- The outbox of live events (see the PostgreSQL migration). SQLite commits
-- one writer at a time, so the row id's order is the commit order: it is
-- the position.
CREATE TABLE event (
    pos INTEGER PRIMARY KEY AUTOINCREMENT,
    at INTEGER NOT NULL DEFAULT (CAST(strftime('%s', 'now') AS INTEGER)),
    kind INTEGER NOT NULL,
    post_id INTEGER NOT NULL,
    user_id INTEGER,
    parent_id INTEGER,
    text TEXT,
    date TIMESTAMP
);
CREATE INDEX event_at ON event (at);

CREATE TABLE event_horizon (
    one INTEGER PRIMARY KEY CHECK (one = 1),
    pos INTEGER NOT NULL
);
INSERT INTO event_horizon VALUES (1, 0);

CREATE TRIGGER event_post_insert AFTER INSERT ON post
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN INSERT INTO event (kind, post_id, user_id, parent_id, text, date)
        VALUES (1, NEW.id, NEW.user_id, NEW.parent_id, NEW.text, NEW.date); END;
CREATE TRIGGER event_post_text AFTER UPDATE OF text ON post
    BEGIN INSERT INTO event (kind, post_id, user_id, parent_id, text, date)
        VALUES (2, NEW.id, NEW.user_id, NEW.parent_id, NEW.text, NEW.date); END;
CREATE TRIGGER event_post_delete AFTER DELETE ON post
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN INSERT INTO event (kind, post_id, user_id, parent_id) VALUES (3, OLD.id, OLD.user_id, OLD.parent_id); END;
CREATE TRIGGER event_like_insert AFTER INSERT ON "like"
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN INSERT INTO event (kind, post_id) VALUES (4, NEW.post_id); END;
CREATE TRIGGER event_like_delete AFTER DELETE ON "like"
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN INSERT INTO event (kind, post_id) VALUES (4, OLD.post_id); END;
