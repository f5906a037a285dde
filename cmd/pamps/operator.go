package main

import (
	"os/user"

	"github.com/pamps/pamps/store"
)

// operator is the CLI acting with the database's full rights; the audit
// log names it "cli:" and the OS user running the command.
func (a *App) operator() store.Actor {
	name := a.Getenv("USER")
	if name == "" {
		if u, err := user.Current(); err == nil {
			name = u.Username
		}
	}
	return store.AsOperator(name)
}
