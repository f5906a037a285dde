-- Moderation (docs/API.md §3d); see the PostgreSQL migration.
ALTER TABLE "user" ADD COLUMN role TEXT NOT NULL DEFAULT 'member'
    CHECK (role IN ('member', 'moderator', 'admin'));
ALTER TABLE "user" ADD COLUMN status TEXT NOT NULL DEFAULT 'active'
    CHECK (status IN ('active', 'pending', 'suspended'));
ALTER TABLE "user" ADD COLUMN suspended_at TIMESTAMP;
ALTER TABLE "user" ADD COLUMN suspend_reason TEXT;
CREATE INDEX user_withheld_idx ON "user" (id) WHERE status <> 'active';
CREATE INDEX user_staff_idx ON "user" (id) WHERE role <> 'member';

CREATE TABLE report (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    reporter_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
    user_id INTEGER REFERENCES "user" (id) ON DELETE SET NULL,
    username TEXT NOT NULL,
    post_id INTEGER REFERENCES post (id) ON DELETE SET NULL,
    post_text TEXT,
    reason TEXT NOT NULL CHECK (reason IN ('spam', 'abuse', 'illegal', 'other')),
    comment TEXT NOT NULL DEFAULT '',
    date TIMESTAMP NOT NULL,
    state TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'resolved')),
    action TEXT CHECK (action IN ('none', 'delete_post', 'suspend')),
    note TEXT,
    resolved_by TEXT,
    resolved_at TIMESTAMP
);
CREATE INDEX report_state_idx ON report (state, id);
CREATE INDEX report_reporter_idx ON report (reporter_id, id);
CREATE INDEX report_user_idx ON report (user_id);
CREATE INDEX report_post_idx ON report (post_id) WHERE post_id IS NOT NULL;

ALTER TABLE notification ADD COLUMN report_id INTEGER;

CREATE TABLE invite (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP,
    max_uses INTEGER NOT NULL CHECK (max_uses > 0),
    uses INTEGER NOT NULL DEFAULT 0 CHECK (uses <= max_uses),
    revoked_at TIMESTAMP
);

CREATE TABLE audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    date TIMESTAMP NOT NULL,
    actor_id INTEGER,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    target_id INTEGER,
    target TEXT NOT NULL DEFAULT '',
    reason TEXT NOT NULL DEFAULT ''
);
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN
    SELECT RAISE(ABORT, 'the audit log is append-only');
END;

DROP TRIGGER event_account_key_removed;
CREATE TRIGGER event_account_key_removed AFTER DELETE ON ssh_key
    BEGIN INSERT INTO event (kind, post_id, user_id) VALUES (5, 1, OLD.user_id); END;
