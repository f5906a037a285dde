-- Removing an SSH key is an account event: the sessions it opened end.
CREATE FUNCTION pamps_event_key_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN -- the ordinal would spill into the transaction id's bits
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 5, 0, OLD.user_id);
    RETURN NULL;
END $$;

CREATE TRIGGER event_account_key_removed AFTER DELETE ON ssh_key FOR EACH ROW
    EXECUTE FUNCTION pamps_event_key_removed();
