package store

import (
	"context"
	"database/sql"
	"errors"
)

// Actor is who performs a change: a signed-in user, who may change only their
// own posts (and, as a moderator, moderate), or an operator at the terminal,
// who may change any.
type Actor struct {
	UserID   int64
	Operator bool
	// Name is how the audit log names an operator: "cli:" and their OS user.
	Name string
}

// AsUser is a signed-in user acting for themselves.
func AsUser(id int64) Actor { return Actor{UserID: id} }

// AsOperator is the operator, acting on anyone's content; name is their OS
// user, which the audit log records as "cli:<name>".
func AsOperator(name string) Actor {
	if name == "" {
		name = "operator"
	}
	return Actor{Operator: true, Name: "cli:" + name}
}

// mayChange is the one rule for editing posts, and for deleting one's own.
func (a Actor) mayChange(authorID int64) bool {
	return a.Operator || (a.UserID != 0 && a.UserID == authorID)
}

// acting is an actor resolved in a transaction: who they are and how high
// they rank.
type acting struct {
	id   *int64 // nil for the operator
	name string
	rank int
	role Role
}

// resolve reads the actor's role (a member must be active); an operator
// ranks above every role.
func (s *Store) resolve(ctx context.Context, a Actor) (acting, error) {
	if a.Operator {
		return acting{name: a.Name, rank: operatorRank}, nil
	}
	var (
		name   string
		role   Role
		status Status
	)
	err := s.queryRow(ctx, []any{&name, &role, &status}, `SELECT username, role, status FROM "user" WHERE id = ?`, a.UserID)
	if errors.Is(err, sql.ErrNoRows) {
		return acting{}, ErrNotSignedIn
	}
	if err != nil {
		return acting{}, err
	}
	if err := status.mayAct(); err != nil {
		return acting{}, err
	}
	id := a.UserID
	return acting{id: &id, name: name, rank: role.rank(), role: role}, nil
}

// staff resolves an actor who must moderate: a moderator, an admin or
// the operator; anyone else is ErrNotAllowed.
func (s *Store) staff(ctx context.Context, a Actor) (acting, error) {
	who, err := s.resolve(ctx, a)
	if err == nil && who.rank < RoleModerator.rank() {
		err = ErrNotAllowed
	}
	return who, err
}
