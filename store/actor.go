package store

// Actor is who performs a change: a signed-in user, who may change only their
// own posts, or an operator at the terminal, who may change any.
type Actor struct {
	UserID   int64
	Operator bool
}

// AsUser is a signed-in user acting for themselves.
func AsUser(id int64) Actor { return Actor{UserID: id} }

// AsOperator is the operator, acting on anyone's content.
func AsOperator() Actor { return Actor{Operator: true} }

// mayChange is the one rule for editing and deleting posts.
func (a Actor) mayChange(authorID int64) bool {
	return a.Operator || (a.UserID != 0 && a.UserID == authorID)
}
