-- Most posts are not replies: the reply counter's trigger now fires only for
-- replies (as SQLite's always did), instead of running its function and an
-- UPDATE that finds no row for every top-level post. A trigger's WHEN may
-- name NEW only on insert and OLD only on delete, hence two.
DROP TRIGGER reply_count ON post;
CREATE TRIGGER reply_count_insert AFTER INSERT ON post FOR EACH ROW
    WHEN (NEW.parent_id IS NOT NULL AND current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_count_reply();
CREATE TRIGGER reply_count_delete AFTER DELETE ON post FOR EACH ROW
    WHEN (OLD.parent_id IS NOT NULL AND current_setting('pamps.bulk_load', true) IS DISTINCT FROM 'on')
    EXECUTE FUNCTION pamps_count_reply();
