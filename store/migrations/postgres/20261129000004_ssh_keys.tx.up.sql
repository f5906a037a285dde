-- Members' SSH public keys (pamps serve's SSH sign-in), and an event when an
-- account's tokens are revoked or the account is deleted, which ends its
-- SSH sessions (kind 5, read only by the server's own subscriptions).
CREATE TABLE ssh_key (
    id bigserial PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    fingerprint text NOT NULL,
    public_key text NOT NULL,
    comment text NOT NULL DEFAULT '',
    created timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ssh_key_fingerprint_key UNIQUE (fingerprint)
);
CREATE INDEX ssh_key_user_idx ON ssh_key (user_id, id);

CREATE FUNCTION pamps_event_account() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN -- the ordinal would spill into the transaction id's bits
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 5, 0, OLD.id);
    RETURN NULL;
END $$;

CREATE TRIGGER event_account_revoked AFTER UPDATE OF tokens_after ON "user" FOR EACH ROW
    EXECUTE FUNCTION pamps_event_account();
CREATE TRIGGER event_account_deleted AFTER DELETE ON "user" FOR EACH ROW
    EXECUTE FUNCTION pamps_event_account();
