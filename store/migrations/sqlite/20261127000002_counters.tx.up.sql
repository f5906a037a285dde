-- Counters kept by triggers (see the PostgreSQL migration). A bulk load puts a
-- row in pamps_bulk_load inside its own transaction and writes the counters
-- itself; no other connection ever sees that row.
ALTER TABLE "user" ADD COLUMN follower_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "user" ADD COLUMN following_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post ADD COLUMN like_count INTEGER NOT NULL DEFAULT 0;
ALTER TABLE post ADD COLUMN reply_count INTEGER NOT NULL DEFAULT 0;

UPDATE "user" SET
    follower_count = (SELECT count(*) FROM follow f WHERE f.to_id = "user".id),
    following_count = (SELECT count(*) FROM follow f WHERE f.from_id = "user".id);
UPDATE post SET
    like_count = (SELECT count(*) FROM "like" l WHERE l.post_id = post.id),
    reply_count = (SELECT count(*) FROM post r WHERE r.parent_id = post.id);

CREATE TABLE pamps_bulk_load (id INTEGER PRIMARY KEY);

CREATE TRIGGER like_count_insert AFTER INSERT ON "like"
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN UPDATE post SET like_count = like_count + 1 WHERE id = NEW.post_id; END;
CREATE TRIGGER like_count_delete AFTER DELETE ON "like"
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN UPDATE post SET like_count = like_count - 1 WHERE id = OLD.post_id; END;
CREATE TRIGGER reply_count_insert AFTER INSERT ON post
    WHEN NEW.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN UPDATE post SET reply_count = reply_count + 1 WHERE id = NEW.parent_id; END;
CREATE TRIGGER reply_count_delete AFTER DELETE ON post
    WHEN OLD.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN UPDATE post SET reply_count = reply_count - 1 WHERE id = OLD.parent_id; END;
CREATE TRIGGER follow_count_insert AFTER INSERT ON follow
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN
        UPDATE "user" SET following_count = following_count + 1 WHERE id = NEW.from_id;
        UPDATE "user" SET follower_count = follower_count + 1 WHERE id = NEW.to_id;
    END;
CREATE TRIGGER follow_count_delete AFTER DELETE ON follow
    WHEN NOT EXISTS (SELECT 1 FROM pamps_bulk_load)
    BEGIN
        UPDATE "user" SET following_count = following_count - 1 WHERE id = OLD.from_id;
        UPDATE "user" SET follower_count = follower_count - 1 WHERE id = OLD.to_id;
    END;
