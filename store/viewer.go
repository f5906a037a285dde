package store

import "strings"

// The viewer seam (docs/API.md §3c): what a signed-in member has hidden
// (whom they blocked, who blocked them, whom they muted) is absent from
// every read made for them. The filter is part of the FROM clause every
// post and user read is built on (postSQL, usersFrom), so a new query
// cannot forget it; anonymous readers' statements do not change.

// hideScope is which of a viewer's relations hide an author.
type hideScope uint8

const (
	// hideListed: blocks both ways and mutes. Lists, threads, streams and
	// search: the zero value, so a reader hides the most unless told.
	hideListed hideScope = iota
	// hideOpened: blocks both ways. A post opened by its id (a muted
	// member's post stays reachable from a link or a notification) and
	// lists of users (a mute hides posts, not people).
	hideOpened
	// hideProfile: only who blocked the viewer. A profile opened by name:
	// the blocker still sees whom they blocked, to undo it.
	hideProfile
	// hideSilenced: blocks both ways, and mutes that silence
	// notifications. The actors of a member's notifications (mayNotify
	// is the same rule, when one is written).
	hideSilenced
)

// opened is r for a post opened by id, or a list of users.
func (r reader) opened() reader { r.scope = hideOpened; return r }

// silenced is r for the actors of r's notifications.
func (r reader) silenced() reader { r.scope = hideSilenced; return r }

// live is r for a stream's hidden set, which events keep up to date:
// the withheld accounts are not in it (they write nothing while withheld,
// and a stream would not learn that one is back).
func (r reader) live() reader { r.noWithheld = true; return r }

// profile is r for a profile opened by name.
func (r reader) profile() reader { r.scope = hideProfile; return r }

// OperatorView is the viewer of the operator at the terminal (the CLI
// without --as): its reads see every account, withheld ones included.
const OperatorView int64 = -1

// everyone is the operator's reader, for the store's own lookups.
var everyone = reader{id: OperatorView}

// seesAll reports whether r is the operator, who hides nothing.
func (r reader) seesAll() bool { return r.id == OperatorView && r.cred == nil }

// withheldSQL selects the withheld accounts (suspended, or pending
// approval: docs/API.md §3d), whose profiles and posts only moderators
// see: one range of user_withheld_idx, empty while nobody is withheld.
const withheldSQL = `SELECT hs.id FROM "user" AS hs WHERE hs.status <> 'active'`

// relationsSQL selects the ids of the users r hides by their relations
// (blocks, mutes), with its arguments; "" for anyone and the operator. Each
// branch is one range of an index (block's primary key, block_to_idx,
// mute's primary key); both databases read the union once per statement (a
// hashed subplan, an ephemeral table), not once per row.
func (r reader) relationsSQL() (string, []any) {
	if r.seesAll() || r.anonymous() {
		return "", nil
	}
	me, args := r.sql(), r.args()
	q := `SELECT hb.from_id FROM block AS hb WHERE hb.to_id = ` + me
	all := args
	if r.scope != hideProfile {
		q += ` UNION ALL SELECT hb.to_id FROM block AS hb WHERE hb.from_id = ` + me
		all = append(all[:len(all):len(all)], args...)
	}
	switch r.scope {
	case hideListed:
		q += ` UNION ALL SELECT hm.to_id FROM mute AS hm WHERE hm.from_id = ` + me
		all = append(all, args...)
	case hideSilenced:
		q += ` UNION ALL SELECT hm.to_id FROM mute AS hm WHERE hm.from_id = ` + me + ` AND hm.notifications`
		all = append(all, args...)
	}
	return q, all
}

// viewerID is the reader's user id, when known without the database.
func (r reader) viewerID() int64 {
	if r.cred != nil {
		return r.cred.UserID
	}
	return r.id
}

// withheldCond is the condition that col (a user id) is not a withheld
// account r may not see, with its arguments; "" when r sees them all or
// nobody is withheld. From the standing cache it is a list of constants
// (nothing at all, the common case); without it, a subplan per statement.
func (r reader) withheldCond(col string) (string, []any) {
	if r.noWithheld || r.seesAll() {
		return "", nil
	}
	if st := r.std; st != nil {
		staff, known := st.isStaff(r.viewerID())
		switch {
		case staff:
			return "", nil
		case len(st.withheld) == 0:
			return "", nil
		case !st.tooMany && known:
			return col + " NOT IN (" + st.list + ")", nil
		}
	}
	if r.anonymous() {
		return col + " NOT IN (" + withheldSQL + ")", nil
	}
	return col + " NOT IN (" + withheldSQL + ` AND NOT EXISTS (SELECT 1 FROM "user" AS hr WHERE hr.id = ` + r.sql() + ` AND hr.role <> 'member'))`, r.args()
}

// hides is the condition that column col (a user id) is not hidden from
// r, and its arguments; "TRUE" when r hides nobody.
func (r reader) hides(col string) (string, []any) {
	var conds []string
	var args []any
	if q, a := r.relationsSQL(); q != "" {
		conds, args = append(conds, col+" NOT IN ("+q+")"), append(args, a...)
	}
	if q, a := r.withheldCond(col); q != "" {
		conds, args = append(conds, q), append(args, a...)
	}
	if len(conds) == 0 {
		return "TRUE", nil
	}
	return strings.Join(conds, " AND "), args
}

// postsFrom is the post table as r sees it, aliased p. A derived table
// both databases flatten into the statement around it, so every index
// on post still serves.
func (r reader) postsFrom() (string, []any) {
	cond, args := r.hides("hp.user_id")
	if cond == "TRUE" {
		return "post AS p", nil
	}
	return "(SELECT hp.* FROM post AS hp WHERE " + cond + ") AS p", args
}

// usersFrom is the user table as r sees it, aliased u.
func (r reader) usersFrom() (string, []any) {
	cond, args := r.hides("hu.id")
	if cond == "TRUE" {
		return `"user" AS u`, nil
	}
	return `(SELECT hu.* FROM "user" AS hu WHERE ` + cond + `) AS u`, args
}
