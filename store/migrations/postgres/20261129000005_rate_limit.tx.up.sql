-- The rate limiters' counters, shared by every replica (store/ratelimit.go):
-- a row per key and window. UNLOGGED: a crash may forget the last
-- counts, which is a limiter's only loss, and writes skip the WAL.
CREATE UNLOGGED TABLE rate_limit (
    key text NOT NULL,
    win bigint NOT NULL,
    hits integer NOT NULL,
    PRIMARY KEY (key, win)
);
