-- Search (docs/API.md §3c). PostgreSQL's full-text search on the posts'
-- text, in the `simple` configuration (no stemming, no stop words: every
-- language is read the same, accents as typed). An expression index, not a
-- stored column: adopting a database builds the index and rewrites no row.
-- Queries repeat the expression exactly (store/search.go), or the planner
-- does not see the index. A word in many posts is read by walking the
-- posts newest first, testing each; a rare one from the index: the planner
-- picks by the index's statistics.
CREATE INDEX post_text_search_idx ON post USING gin (to_tsvector('simple', text));
