package sqldb

import (
	"regexp"
	"strings"
)

// The live events are written by triggers (the events migrations) on a few
// tables: a post inserted, edited or deleted, a like given or taken back,
// an account's tokens revoked or the account deleted, an SSH key removed,
// a block or a mute made or undone, a notification written (a follow's
// comes in the follow's own statement).
// Every statement passes the driver wrapper, which signals once a
// statement that writes one of those tables has committed: outside a
// transaction when it ends, inside one at COMMIT. The store writes no
// signal by hand, and a new write path cannot forget one. A statement
// that wrote no event (a profile edit) costs a spurious signal at worst:
// one read of the outbox.

// eventedWrite matches the statements that fire an event trigger, as bun
// and the store write them (upper-case keywords, the table quoted or not):
// inserting into post, "like", block, mute and notification, updating post
// and "user", deleting from post, "like", "user", ssh_key, block and mute.
var eventedWrite = regexp.MustCompile(`(?:INSERT INTO\s+"?(?:post|like|block|mute|notification)|UPDATE\s+"?(?:post|user)|DELETE FROM\s+"?(?:post|like|user|ssh_key|block|mute))"?(?:\s|\(|$)`)

// writesEvents reports whether a statement may write live events.
func writesEvents(query string) bool {
	// Most statements are reads: three substring scans rule them out.
	if !strings.Contains(query, "INSERT INTO") && !strings.Contains(query, "UPDATE") && !strings.Contains(query, "DELETE FROM") {
		return false
	}
	return eventedWrite.MatchString(query)
}

// wrote notes a statement that may have written events: signalled now,
// or at COMMIT inside a transaction.
func (c *conn) wrote() {
	if c.inTx {
		c.changed = true
		return
	}
	c.sig.fire()
}
