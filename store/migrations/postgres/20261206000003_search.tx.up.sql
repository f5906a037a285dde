-- Search (docs/API.md §3c). PostgreSQL's full-text search on the posts'
-- text, in the `simple` configuration (no stemming, no stop words: every
-- language is read the same, accents as typed), kept in a generated column
-- beside the text, so that every write keeps it in step, and GIN-indexed.
-- A word in many posts is found by walking the newest posts and testing
-- each: against the stored vector that is a comparison, where computing
-- the vector from the text cost 14 µs a post, and a two-word query walked
-- hundreds (p99 72 ms at 1M posts, bench/search.sh). A rare word is read
-- from the index. The planner picks by the column's statistics: a search is
-- planned for its words (store/search.go). Adding the column rewrites the
-- table once (pamps db migrate shows the index build's progress).
ALTER TABLE post ADD COLUMN search tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED;
CREATE INDEX post_search_idx ON post USING gin (search);
-- The planner's statistics of the column (how common each word is):
-- without them it cannot tell a rare word from a common one, and walked
-- every post for a word in a thousandth (1.3 s at 100k posts).
ANALYZE post;
