-- Token revocation; see the PostgreSQL migration of the same name.
ALTER TABLE "user" ADD COLUMN tokens_after INTEGER NOT NULL DEFAULT 0;

CREATE TABLE refresh_token (
    jti TEXT PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    expires_at INTEGER NOT NULL,
    used INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id, expires_at);
