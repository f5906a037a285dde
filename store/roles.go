package store

import (
	"slices"
	"strings"
)

// Roles and standing (docs/API.md §3d). Every moderation rule is here or
// in moderate.go, once: the API, the SSH TUI, the local TUI and the CLI
// ask the store, which refuses what the rules refuse.

// Role is what an account may do to others.
type Role string

// The roles, from the least to the most trusted.
const (
	RoleMember    Role = "member"
	RoleModerator Role = "moderator"
	RoleAdmin     Role = "admin"
)

// Roles lists the roles, least trusted first.
func Roles() []Role { return []Role{RoleMember, RoleModerator, RoleAdmin} }

// ParseRole reads a role's name, ignoring case.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles() {
		if strings.EqualFold(s, string(r)) {
			return r, nil
		}
	}
	return "", invalid("role", "type_error.enum", "must be one of member, moderator, admin")
}

// Staff reports whether r moderates: a moderator or an admin.
func (r Role) Staff() bool { return r == RoleModerator || r == RoleAdmin }

// rank orders the roles; the operator at the terminal ranks above all.
func (r Role) rank() int {
	switch r {
	case RoleModerator:
		return 1
	case RoleAdmin:
		return 2
	}
	return 0
}

// operatorRank is the CLI's: it acts with the database's full rights.
const operatorRank = 3

// Status is an account's standing.
type Status string

// The standings. A pending or suspended account is withheld: it cannot
// sign in or act, and what it wrote is absent for all but moderators.
const (
	StatusActive    Status = "active"
	StatusPending   Status = "pending"
	StatusSuspended Status = "suspended"
)

// ParseStatuses reads a comma-separated list of standings ("pending,
// suspended"), each once however often it is named.
func ParseStatuses(s string) ([]Status, error) {
	var out []Status
	for _, part := range strings.Split(s, ",") {
		st := Status(strings.ToLower(strings.TrimSpace(part)))
		switch st {
		case StatusActive, StatusPending, StatusSuspended:
		default:
			return nil, invalid("status", "type_error.enum", "must be a comma-separated list of active, pending, suspended")
		}
		if !slices.Contains(out, st) {
			out = append(out, st)
		}
	}
	return out, nil
}

// Withheld reports whether the account is pending or suspended.
func (s Status) Withheld() bool { return s != StatusActive && s != "" }

// mayAct is nil for an active account, else why it may not sign in.
func (s Status) mayAct() error {
	switch s {
	case StatusSuspended:
		return ErrSuspended
	case StatusPending:
		return ErrPending
	}
	return nil
}

// The moderation rules' answers; their messages are the API's.
var (
	ErrSuspended          = &ForbiddenError{Msg: "Account suspended"}
	ErrPending            = &ForbiddenError{Msg: "Account pending approval"}
	ErrRegistrationClosed = &ForbiddenError{Msg: "Registration is closed"}
	ErrLastAdmin          = &RefusedError{Msg: "The last admin cannot be demoted or suspended"}
	ErrSelfModeration     = &RefusedError{Msg: "You cannot do this to your own account"}
	ErrReportNotFound     = &NotFoundError{Msg: "Report not found"}
	ErrInviteNotFound     = &NotFoundError{Msg: "Invite not found"}
)

// outranks is the one rule of who may suspend, unsuspend or approve
// whom: a rank above theirs. So a moderator acts on members, an admin on
// members and moderators, and only the operator on an admin.
func outranks(actor int, target Role) bool { return actor > target.rank() }
