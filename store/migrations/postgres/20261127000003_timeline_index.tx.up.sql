-- The timeline walks the newest top-level posts and keeps those by followed
-- users: with the author in the index, the posts it skips are never read
-- from the table.
DROP INDEX post_top_level_idx;
CREATE INDEX post_top_level_idx ON post (id) INCLUDE (user_id) WHERE parent_id IS NULL;
