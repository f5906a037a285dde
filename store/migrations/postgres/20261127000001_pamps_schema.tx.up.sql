-- Upgrade the original tables in place: refuse (and change nothing) when rows
-- would collide under case-insensitive uniqueness or posts lack an author.
DO $$
DECLARE
    report text;
    r record;
BEGIN
    SELECT string_agg(names, '; ') INTO report FROM (
        SELECT string_agg(format('%s (id %s)', username, id), ', ' ORDER BY id) AS names
        FROM "user" GROUP BY lower(username) HAVING count(*) > 1) d;
    IF report IS NOT NULL THEN
        RAISE EXCEPTION 'cannot adopt this database: usernames that differ only by case: %', report
            USING HINT = 'rename all but one of each group (UPDATE "user" SET username = ... WHERE id = ...), then run pamps db migrate again';
    END IF;
    SELECT string_agg(names, '; ') INTO report FROM (
        SELECT string_agg(format('%s (id %s)', email, id), ', ' ORDER BY id) AS names
        FROM "user" GROUP BY lower(email) HAVING count(*) > 1) d;
    IF report IS NOT NULL THEN
        RAISE EXCEPTION 'cannot adopt this database: emails that differ only by case: %', report
            USING HINT = 'change all but one of each group, then run pamps db migrate again';
    END IF;
    SELECT string_agg(id::text, ', ' ORDER BY id) INTO report FROM post WHERE user_id IS NULL;
    IF report IS NOT NULL THEN
        RAISE EXCEPTION 'cannot adopt this database: posts without an author (ids %)', report
            USING HINT = 'set their user_id or delete them, then run pamps db migrate again';
    END IF;

    -- The original's constraint names are whatever its tools chose; drop them by kind.
    FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = 'post'::regclass AND contype = 'f' LOOP
        EXECUTE format('ALTER TABLE post DROP CONSTRAINT %I', r.conname);
    END LOOP;
    FOR r IN SELECT conname FROM pg_constraint WHERE conrelid = '"user"'::regclass AND contype = 'u' LOOP
        EXECUTE format('ALTER TABLE "user" DROP CONSTRAINT %I', r.conname);
    END LOOP;
    EXECUTE format('ALTER SEQUENCE %s AS bigint', pg_get_serial_sequence('"user"', 'id'));
    EXECUTE format('ALTER SEQUENCE %s AS bigint', pg_get_serial_sequence('post', 'id'));
END $$;

ALTER TABLE "user" ALTER COLUMN id TYPE bigint;

-- The original stored naive UTC timestamps.
ALTER TABLE post
    ALTER COLUMN id TYPE bigint,
    ALTER COLUMN user_id TYPE bigint,
    ALTER COLUMN user_id SET NOT NULL,
    ALTER COLUMN parent_id TYPE bigint,
    ALTER COLUMN date TYPE timestamptz USING date AT TIME ZONE 'UTC',
    ADD CONSTRAINT post_user_id_fkey FOREIGN KEY (user_id) REFERENCES "user" (id) ON DELETE CASCADE,
    ADD CONSTRAINT post_parent_id_fkey FOREIGN KEY (parent_id) REFERENCES post (id) ON DELETE CASCADE;

CREATE UNIQUE INDEX user_username_lower_key ON "user" (lower(username));
CREATE UNIQUE INDEX user_email_lower_key ON "user" (lower(email));

-- Lists: everyone's top-level posts, a user's posts (with or without replies),
-- a post's replies.
CREATE INDEX post_top_level_idx ON post (id) WHERE parent_id IS NULL;
CREATE INDEX post_user_id_idx ON post (user_id, id);
CREATE INDEX post_user_top_level_idx ON post (user_id, id) WHERE parent_id IS NULL;
CREATE INDEX post_parent_id_idx ON post (parent_id, id);

CREATE TABLE follow (
    from_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    to_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    date timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (from_id, to_id),
    CONSTRAINT follow_not_self CHECK (from_id <> to_id)
);
-- followers of X and whom X follows, most recent first
CREATE INDEX follow_to_date_idx ON follow (to_id, date DESC, from_id DESC);
CREATE INDEX follow_from_date_idx ON follow (from_id, date DESC, to_id DESC);

CREATE TABLE "like" (
    user_id bigint NOT NULL REFERENCES "user" (id) ON DELETE CASCADE,
    post_id bigint NOT NULL REFERENCES post (id) ON DELETE CASCADE,
    date timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, post_id)
);
CREATE INDEX like_post_id_idx ON "like" (post_id);
CREATE INDEX like_user_date_idx ON "like" (user_id, date DESC, post_id DESC);
