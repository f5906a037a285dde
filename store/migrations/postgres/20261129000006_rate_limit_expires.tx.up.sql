-- When each counter stops mattering (the end of the window after its own),
-- in Unix milliseconds. Pruning by window number deleted an hour's
-- counters whenever a minute's limiter pruned (its numbers are larger);
-- by expiry every limiter keeps its own. Rows from before read as expired:
-- at most one window's counts are forgotten, once.
ALTER TABLE rate_limit ADD COLUMN expires bigint NOT NULL DEFAULT 0;
