-- Notifications (docs/API.md §3c). store/notify.go writes them in the
-- statement or transaction of the action that causes them; the rule of who
-- may notify whom is there, once. Types: 1 reply, 2 mention, 3 like,
-- 4 follow, 5 report, 6 signup.
-- Every index here is written by every like, so they are few: with six,
-- a like with its notification had about 60% of the throughput of the like
-- alone (pgbench, prepared statements, 8 clients, 200k posts); the commit
-- that made it three has the figures.
CREATE TABLE notification (
    id bigserial,
    user_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    type smallint NOT NULL CHECK (type BETWEEN 1 AND 6),
    actor_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    -- Deleting the post takes the notifications that show it along.
    post_id bigint REFERENCES post (id) ON DELETE CASCADE,
    date timestamptz NOT NULL DEFAULT now(),
    -- A member's list, newest first: a range of the key. The unread ones
    -- are those after their marker, a range too, counted from the key alone
    -- (it carries what the count filters on: who, when, which type).
    PRIMARY KEY (user_id, id) INCLUDE (actor_id, date, type)
);
-- What a member has read: every notification up to this id (Mastodon's
-- marker). Marking read is one row's update, and the unread ones need no
-- index of their own.
ALTER TABLE "user" ADD COLUMN notifications_read bigint NOT NULL DEFAULT 0;

-- The cascade of a deleted post, and the like's "once ever" check (a like
-- notifies once per (liker, post): the like's own row keeps two likers
-- from racing). A follow notifies once per (follower, followee).
CREATE INDEX notification_post_idx ON notification (post_id, actor_id) WHERE post_id IS NOT NULL;
CREATE UNIQUE INDEX notification_follow_once ON notification (user_id, actor_id) WHERE type = 4;
-- The cascade of a deleted account. Pruning by age reads the table once an
-- hour: no index on date for every insert to write.
CREATE INDEX notification_actor_idx ON notification (actor_id);

-- Event kind 8: a notification for user_id, whose id is in post_id. The
-- recipient's home streams carry it (event: notification).
CREATE FUNCTION pamps_event_notification() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 8, NEW.id, NEW.user_id);
    RETURN NULL;
END $$;

CREATE TRIGGER event_notification AFTER INSERT ON notification FOR EACH ROW EXECUTE FUNCTION pamps_event_notification();
