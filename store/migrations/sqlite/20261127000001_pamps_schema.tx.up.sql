-- The whole schema for SQLite. Timestamps are text in UTC ('2006-01-02 15:04:05.999999+00:00'),
-- which sorts in time order.
CREATE TABLE "user" (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    email TEXT NOT NULL,
    username TEXT NOT NULL,
    avatar TEXT,
    bio TEXT,
    password TEXT NOT NULL
);
CREATE UNIQUE INDEX user_username_lower_key ON "user" (lower(username));
CREATE UNIQUE INDEX user_email_lower_key ON "user" (lower(email));

CREATE TABLE post (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    text TEXT NOT NULL,
    date TIMESTAMP NOT NULL,
    user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    parent_id INTEGER REFERENCES post (id) ON DELETE CASCADE
);
CREATE INDEX post_top_level_idx ON post (id) WHERE parent_id IS NULL;
CREATE INDEX post_user_id_idx ON post (user_id, id);
CREATE INDEX post_user_top_level_idx ON post (user_id, id) WHERE parent_id IS NULL;
CREATE INDEX post_parent_id_idx ON post (parent_id, id);

CREATE TABLE follow (
    from_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date TIMESTAMP NOT NULL,
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT follow_not_self CHECK (from_id <> to_id)
) WITHOUT ROWID;
CREATE INDEX follow_to_date_idx ON follow (to_id, date DESC, from_id DESC);
CREATE INDEX follow_from_date_idx ON follow (from_id, date DESC, to_id DESC);

CREATE TABLE "like" (
    user_id INTEGER NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    post_id INTEGER NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    date TIMESTAMP NOT NULL,
    PRIMARY KEY (user_id, post_id)
) WITHOUT ROWID;
CREATE INDEX like_post_id_idx ON "like" (post_id);
CREATE INDEX like_user_date_idx ON "like" (user_id, date DESC, post_id DESC);
