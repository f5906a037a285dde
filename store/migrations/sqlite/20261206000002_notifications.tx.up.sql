-- Notifications (docs/API.md §3c); see the PostgreSQL migration.
CREATE TABLE notification (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    type INTEGER NOT NULL CHECK (type BETWEEN 1 AND 6),
    actor_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    post_id INTEGER REFERENCES post (id) ON DELETE CASCADE,
    date TIMESTAMP NOT NULL
);
ALTER TABLE "user" ADD COLUMN notifications_read INTEGER NOT NULL DEFAULT 0;

CREATE INDEX notification_user_idx ON notification (user_id, id DESC);
CREATE UNIQUE INDEX notification_follow_once ON notification (user_id, actor_id) WHERE type = 4;
CREATE INDEX notification_post_idx ON notification (post_id, actor_id) WHERE post_id IS NOT NULL;
CREATE INDEX notification_actor_idx ON notification (actor_id);

-- Event kind 8: a notification for user_id, whose id is in post_id.
CREATE TRIGGER event_notification AFTER INSERT ON notification BEGIN
    INSERT INTO event (kind, post_id, user_id) VALUES (8, NEW.id, NEW.user_id);
END;
