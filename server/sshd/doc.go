// Package sshd serves the TUI over SSH (charm.land/wish): a member signs in
// with a public key on their account, or with their password
// (keyboard-interactive, through the store's Login: its limits and lane),
// and gets the TUI running here, acting as them only. A key not on any
// account with no password gets a screen that says how to add one.
package sshd
