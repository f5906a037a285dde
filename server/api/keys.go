package api

import (
	"net/http"
	"strconv"

	"github.com/pamps/pamps/store"
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
	b, err := readBody(r, "public_key", "password")
	if err != nil {
		return err
	}
	line := b.str("public_key")
	proof := store.Proof{SignedIn: passwordSignIn(r)}
	if b.has("password") {
		proof.Password = b.str("password")
	}
	if err := b.err(); err != nil {
		return err
	}
	k, err := s.store.AddMemberSSHKey(r.Context(), currentUser(r).ID, proof, line)
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

// keysRemaining tells a member who just changed their password or signed
// out everywhere that their SSH keys still sign in: tokens are revoked, keys
// are not (a stolen token could have added one).
func (s *Server) keysRemaining(w http.ResponseWriter, r *http.Request, userID int64) {
	keys, err := s.store.SSHKeys(r.Context(), userID)
	if err != nil || len(keys) == 0 {
		return
	}
	w.Header().Set("SSH-Keys-Remaining", strconv.Itoa(len(keys)))
	w.Header().Set("Link", "<"+s.opt.PublicURL+"/user/me/keys/>; rel=\"ssh-keys\"")
}
