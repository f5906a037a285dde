-- Token revocation (API.md §2). tokens_after is a Unix time in milliseconds: a
-- token whose iat is earlier was issued before the user's last password
-- change or sign-out and is refused. refresh_token holds the ids (jti) of the
-- refresh tokens given out, so each is used once and a reuse is noticed.
ALTER TABLE "user" ADD COLUMN tokens_after bigint NOT NULL DEFAULT 0;

CREATE TABLE refresh_token (
    jti text PRIMARY KEY,
    user_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    expires_at bigint NOT NULL,
    used boolean NOT NULL DEFAULT false
);
CREATE INDEX refresh_token_user_idx ON refresh_token (user_id, expires_at);
