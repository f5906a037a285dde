-- Counters kept by triggers, so list pages do not count likes and follows row
-- by row, and cascaded deletes keep them right. A bulk load (pamps seed) sets
-- pamps.bulk_load in its own transaction and writes the counters itself.
ALTER TABLE "user"
    ADD COLUMN follower_count bigint NOT NULL DEFAULT 0,
    ADD COLUMN following_count bigint NOT NULL DEFAULT 0;
ALTER TABLE post
    ADD COLUMN like_count bigint NOT NULL DEFAULT 0,
    ADD COLUMN reply_count bigint NOT NULL DEFAULT 0;

UPDATE "user" u SET
    follower_count = (SELECT count(*) FROM follow f WHERE f.to_id = u.id),
    following_count = (SELECT count(*) FROM follow f WHERE f.from_id = u.id)
WHERE EXISTS (SELECT 1 FROM follow f WHERE f.to_id = u.id OR f.from_id = u.id);
UPDATE post p SET like_count = (SELECT count(*) FROM "like" l WHERE l.post_id = p.id)
WHERE EXISTS (SELECT 1 FROM "like" l WHERE l.post_id = p.id);
UPDATE post p SET reply_count = (SELECT count(*) FROM post r WHERE r.parent_id = p.id)
WHERE EXISTS (SELECT 1 FROM post r WHERE r.parent_id = p.id);

CREATE FUNCTION pamps_count_like() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE post SET like_count = like_count + 1 WHERE id = NEW.post_id;
    ELSE
        UPDATE post SET like_count = like_count - 1 WHERE id = OLD.post_id;
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION pamps_count_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE post SET reply_count = reply_count + 1 WHERE id = NEW.parent_id;
    ELSE
        UPDATE post SET reply_count = reply_count - 1 WHERE id = OLD.parent_id;
    END IF;
    RETURN NULL;
END $$;

-- Both users' rows are updated in id order, so two follows between the same
-- pair in opposite directions cannot deadlock.
CREATE FUNCTION pamps_count_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r follow%ROWTYPE;
    d bigint;
BEGIN
    IF TG_OP = 'INSERT' THEN r := NEW; d := 1; ELSE r := OLD; d := -1; END IF;
    IF r.from_id < r.to_id THEN
        UPDATE "user" SET following_count = following_count + d WHERE id = r.from_id;
        UPDATE "user" SET follower_count = follower_count + d WHERE id = r.to_id;
    ELSE
        UPDATE "user" SET follower_count = follower_count + d WHERE id = r.to_id;
        UPDATE "user" SET following_count = following_count + d WHERE id = r.from_id;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER like_count AFTER INSERT OR DELETE ON "like" FOR EACH ROW
    WHEN (current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_count_like();
CREATE TRIGGER reply_count AFTER INSERT OR DELETE ON post FOR EACH ROW
    WHEN (current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_count_reply();
CREATE TRIGGER follow_count AFTER INSERT OR DELETE ON follow FOR EACH ROW
    WHEN (current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_count_follow();
