-- A counter trigger that finds no row to count on has met a parent deleted
-- while the new row was being inserted: the insert's foreign key check took
-- its share lock on the parent, a concurrent delete queued for the row, and
-- the trigger's update of the parent then waited for the delete and found the
-- row gone. The new row stayed behind without its parent (about one run in
-- 30 of TestDeletingAThreadWhileRepliesArrive, before CreatePost took the
-- parent's lock first). The trigger now fails such an insert as the foreign
-- key would have, for likes and follows too.
CREATE OR REPLACE FUNCTION pamps_count_like() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE post SET like_count = like_count + 1 WHERE id = NEW.post_id;
        IF NOT FOUND THEN
            RAISE foreign_key_violation USING CONSTRAINT = 'like_post_id_fkey', TABLE = 'like',
                MESSAGE = format('insert on table "like" violates foreign key constraint "like_post_id_fkey": post %s is gone', NEW.post_id);
        END IF;
    ELSE
        UPDATE post SET like_count = like_count - 1 WHERE id = OLD.post_id;
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION pamps_count_reply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        UPDATE post SET reply_count = reply_count + 1 WHERE id = NEW.parent_id;
        IF NOT FOUND AND NEW.parent_id IS NOT NULL THEN
            RAISE foreign_key_violation USING CONSTRAINT = 'post_parent_id_fkey', TABLE = 'post',
                MESSAGE = format('insert on table "post" violates foreign key constraint "post_parent_id_fkey": post %s is gone', NEW.parent_id);
        END IF;
    ELSE
        UPDATE post SET reply_count = reply_count - 1 WHERE id = OLD.parent_id;
    END IF;
    RETURN NULL;
END $$;

-- Both users' rows are updated in id order, so two follows between the same
-- pair in opposite directions cannot deadlock.
CREATE OR REPLACE FUNCTION pamps_count_follow() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    r follow%ROWTYPE;
    d bigint;
    n int := 0;
    c int;
BEGIN
    IF TG_OP = 'INSERT' THEN r := NEW; d := 1; ELSE r := OLD; d := -1; END IF;
    IF r.from_id < r.to_id THEN
        UPDATE "user" SET following_count = following_count + d WHERE id = r.from_id;
        GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
        UPDATE "user" SET follower_count = follower_count + d WHERE id = r.to_id;
        GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    ELSE
        UPDATE "user" SET follower_count = follower_count + d WHERE id = r.to_id;
        GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
        UPDATE "user" SET following_count = following_count + d WHERE id = r.from_id;
        GET DIAGNOSTICS c = ROW_COUNT; n := n + c;
    END IF;
    IF TG_OP = 'INSERT' AND n < 2 THEN
        RAISE foreign_key_violation USING CONSTRAINT = 'follow_to_id_fkey', TABLE = 'follow',
            MESSAGE = 'insert on table "follow" violates foreign key constraint "follow_to_id_fkey": a user is gone';
    END IF;
    RETURN NULL;
END $$;
