package server

import "net/http"

func (s *Server) openapi(w http.ResponseWriter, r *http.Request) error {
	writeJSON(w, http.StatusOK, s.openAPIDocument())
	return nil
}

func (s *Server) docs(w http.ResponseWriter, r *http.Request) error {
	return nil
}

func (s *Server) openAPIDocument() map[string]any { return map[string]any{} }
