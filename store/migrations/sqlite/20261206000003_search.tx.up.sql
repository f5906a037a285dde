-- Search (docs/API.md §3c): an FTS5 index of the posts' text, kept in step
-- with every insert, edit and delete by triggers, in the writing
-- transaction. Its content is the post table's (no second copy of the
-- text); unicode61 without removing diacritics: accents match as typed.
CREATE VIRTUAL TABLE post_fts USING fts5(text, content='post', content_rowid='id', tokenize="unicode61 remove_diacritics 0");
INSERT INTO post_fts (post_fts) VALUES ('rebuild');

CREATE TRIGGER post_fts_insert AFTER INSERT ON post BEGIN
    INSERT INTO post_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;
CREATE TRIGGER post_fts_delete AFTER DELETE ON post BEGIN
    INSERT INTO post_fts (post_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
END;
CREATE TRIGGER post_fts_update AFTER UPDATE OF text ON post BEGIN
    INSERT INTO post_fts (post_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
    INSERT INTO post_fts (rowid, text) VALUES (NEW.id, NEW.text);
END;
