package server

import (
	"net/http"
)

// The signed-in member's SSH public keys (the SSH TUI's sign-in).

func (s *Server) listKeys(w http.ResponseWriter, r *http.Request) error {
	keys, err := s.store.SSHKeys(r.Context(), currentUser(r).ID)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, keys)
	return nil
}

func (s *Server) addKey(w http.ResponseWriter, r *http.Request) error {
	b, err := readBody(r, "public_key")
	if err != nil {
		return err
	}
	line := b.str("public_key")
	if err := b.err(); err != nil {
		return err
	}
	k, err := s.store.AddSSHKey(r.Context(), currentUser(r).ID, line)
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusCreated, k)
	return nil
}

func (s *Server) removeKey(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "key_id")
	if err != nil {
		return err
	}
	if err := s.store.RemoveSSHKey(r.Context(), currentUser(r).ID, id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
