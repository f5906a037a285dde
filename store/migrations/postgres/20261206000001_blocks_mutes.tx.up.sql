-- Blocks and mutes (docs/API.md §3c). A block hides each member from the
-- other; a mute hides the muted member's posts from the muter only, and
-- with notifications also silences them. Reads filter on these in the
-- statement (store/viewer.go); the indexes serve both directions.
CREATE TABLE block (
    from_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT block_not_self CHECK (from_id <> to_id)
);
CREATE INDEX block_to_idx ON block (to_id, from_id);
CREATE INDEX block_from_date_idx ON block (from_id, date DESC, to_id DESC);

CREATE TABLE mute (
    from_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date timestamptz NOT NULL DEFAULT now(),
    notifications boolean NOT NULL DEFAULT true,
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT mute_not_self CHECK (from_id <> to_id)
);
CREATE INDEX mute_from_date_idx ON mute (from_id, date DESC, to_id DESC);

-- A block or a mute changes what a member's open streams carry. Event
-- kind 6 says user_id now hides the member in post_id (a user id here),
-- kind 7 that user_id no longer hides them for this reason; a block
-- writes one for each side. Subscriptions count the reasons in order
-- (store/live), so a change applies at its place among the events.
CREATE FUNCTION pamps_event_hidden() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
    kind smallint := CASE TG_OP WHEN 'DELETE' THEN 7 ELSE 6 END;
    who bigint;
    other bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN
        who := OLD.from_id; other := OLD.to_id;
    ELSE
        who := NEW.from_id; other := NEW.to_id;
    END IF;
    IF n >= 1048575 THEN -- the ordinal would spill into the transaction id's bits
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | n, kind, other, who);
    IF TG_TABLE_NAME = 'block' THEN
        PERFORM set_config('pamps.event_ord', (n + 2)::text, true);
        INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | (n + 1), kind, who, other);
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER event_block AFTER INSERT OR DELETE ON block FOR EACH ROW EXECUTE FUNCTION pamps_event_hidden();
CREATE TRIGGER event_mute AFTER INSERT OR DELETE ON mute FOR EACH ROW EXECUTE FUNCTION pamps_event_hidden();
