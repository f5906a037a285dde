-- Moderation (docs/API.md §3d): roles, suspension and approval, reports,
-- invites and the audit log. The rules are in store/moderation.go, once.
ALTER TABLE "user" ADD COLUMN role text NOT NULL DEFAULT 'member'
    CHECK (role IN ('member', 'moderator', 'admin'));
-- pending: signed up in approval mode and not yet approved; suspended: by
-- a moderator, until lifted. Either way the account is withheld: it cannot
-- sign in, and what it wrote is absent for everyone but moderators.
ALTER TABLE "user" ADD COLUMN status text NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'pending', 'suspended'));
ALTER TABLE "user" ADD COLUMN suspended_at timestamptz;
ALTER TABLE "user" ADD COLUMN suspend_reason text;
-- Every read hides the withheld accounts (store/viewer.go): one range of
-- this index, read once per statement; empty when nobody is withheld.
CREATE INDEX user_withheld_idx ON "user" (id) WHERE status <> 'active';
-- The moderators, whom a report or a sign-up to approve notifies.
CREATE INDEX user_staff_idx ON "user" (id) WHERE role <> 'member';

CREATE TABLE report (
    id bigserial PRIMARY KEY,
    reporter_id bigint REFERENCES "user" (id) ON DELETE SET NULL,
    -- The reported account: the post's author for a post's report.
    user_id bigint REFERENCES "user" (id) ON DELETE SET NULL,
    username text NOT NULL,
    post_id bigint REFERENCES post (id) ON DELETE SET NULL,
    -- A copy of the reported post's text: a deleted post stays readable here.
    post_text text,
    reason text NOT NULL CHECK (reason IN ('spam', 'abuse', 'illegal', 'other')),
    comment text NOT NULL DEFAULT '',
    date timestamptz NOT NULL DEFAULT now(),
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    action text CHECK (action IN ('none', 'delete_post', 'suspend')),
    note text,
    resolved_by text,
    resolved_at timestamptz
);
CREATE INDEX report_state_idx ON report (state, id);
CREATE INDEX report_reporter_idx ON report (reporter_id, id);
CREATE INDEX report_user_idx ON report (user_id);
CREATE INDEX report_post_idx ON report (post_id) WHERE post_id IS NOT NULL;

-- A report notification names its report.
ALTER TABLE notification ADD COLUMN report_id bigint;

CREATE TABLE invite (
    id bigserial PRIMARY KEY,
    code text NOT NULL UNIQUE,
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz,
    max_uses integer NOT NULL CHECK (max_uses > 0),
    uses integer NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
    revoked_at timestamptz
);

-- The audit log: one row per moderation action, append-only. Rows name
-- people by id and by name as they were, with no foreign key, so that
-- deleting an account keeps its history.
CREATE TABLE audit (
    id bigserial PRIMARY KEY,
    date timestamptz NOT NULL DEFAULT now(),
    actor_id bigint,
    actor text NOT NULL,
    action text NOT NULL,
    target_id bigint,
    target text NOT NULL DEFAULT '',
    reason text NOT NULL DEFAULT ''
);
CREATE FUNCTION pamps_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE insufficient_privilege USING MESSAGE = 'the audit log is append-only';
END $$;
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit FOR EACH ROW
    EXECUTE FUNCTION pamps_audit_append_only();

-- A removed SSH key's account event says so (post_id 1): it ends the
-- sessions that key opened, not the member's streams, which a revocation
-- (post_id 0) ends.
CREATE OR REPLACE FUNCTION pamps_event_key_removed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    n int := coalesce(nullif(current_setting('pamps.event_ord', true), ''), '0')::int;
BEGIN
    IF n >= 1048576 THEN
        RAISE program_limit_exceeded USING MESSAGE = 'more than 1048576 events in one transaction';
    END IF;
    PERFORM set_config('pamps.event_ord', (n + 1)::text, true);
    INSERT INTO event (pos, kind, post_id, user_id) VALUES ((pg_current_xact_id()::text::bigint << 20) | n, 5, 1, OLD.user_id);
    RETURN NULL;
END $$;
