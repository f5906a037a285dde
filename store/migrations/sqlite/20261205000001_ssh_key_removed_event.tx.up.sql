-- Removing an SSH key is an account event: the sessions it opened end.
CREATE TRIGGER event_account_key_removed AFTER DELETE ON ssh_key
    BEGIN INSERT INTO event (kind, post_id, user_id) VALUES (5, 0, OLD.user_id); END;
