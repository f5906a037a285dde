-- The outbox of live events (store/events.go). Triggers record every change
-- someone sees in the transaction that makes it, so no write path can skip
-- one. An event's position orders the whole service's events: the top-level
-- transaction id (xid8) shifted left 20 bits, plus the event's ordinal in its
-- transaction. A reader delivers only positions below its snapshot's xmin
-- shifted the same way: every transaction there has ended, so no event can
-- still appear behind one delivered, whatever order transactions commit in.
-- (A sequence would not do: numbers are taken in one order and committed in
-- another, and a reader would pass a gap that is filled later.)
CREATE TABLE event (
    pos bigint PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    kind smallint NOT NULL, -- 1 post, 2 post.updated, 3 post.deleted, 4 counts (a like)
    post_id bigint NOT NULL,
    user_id bigint,         -- the post's author (not known for a like)
    parent_id bigint,
    -- A new or edited post as it was written: an event read after the post
    -- was deleted still shows it (its author's name is read with it).
    text text,
    date timestamptz
);
-- Rows arrive in time order: a BRIN index finds the old ones to prune for
-- next to nothing per insert.
CREATE INDEX event_at ON event USING brin (at);

-- The highest position pruned: a reader resuming below it missed events.
CREATE TABLE event_horizon (
    one boolean PRIMARY KEY DEFAULT true CHECK (one),
    pos bigint NOT NULL
);
INSERT INTO event_horizon VALUES (true, 0);

-- The position is computed inline (a function call per row cost more):
-- pamps.event_ord counts the transaction's events so far.
CREATE FUNCTION pamps_event_post() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    IF TG_OP = 'DELETE' THEN
        INSERT INTO event (pos, kind, post_id, user_id, parent_id)
        VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 3, OLD.id, OLD.user_id, OLD.parent_id);
    ELSE
        INSERT INTO event (pos, kind, post_id, user_id, parent_id, text, date)
        VALUES ((pg_current_xact_id()::text::bigint << 20) | n, CASE TG_OP WHEN 'INSERT' THEN 1 ELSE 2 END,
                NEW.id, NEW.user_id, NEW.parent_id, NEW.text, NEW.date);
    END IF;
    RETURN NULL;
END $$;

CREATE FUNCTION pamps_event_like() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id)
    VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 4, CASE TG_OP WHEN 'DELETE' THEN OLD.post_id ELSE NEW.post_id END);
    RETURN NULL;
END $$;

-- A bulk load (seeding) records no events, as it keeps no counters.
CREATE TRIGGER event_post AFTER INSERT OR DELETE ON post FOR EACH ROW
    WHEN (current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_event_post();
CREATE TRIGGER event_post_text AFTER UPDATE OF text ON post FOR EACH ROW
    EXECUTE FUNCTION pamps_event_post();
CREATE TRIGGER event_like AFTER INSERT OR DELETE ON "like" FOR EACH ROW
    WHEN (current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_event_like();
