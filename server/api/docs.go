package api

import (
	"embed"
	"io/fs"
	"net/http"
	"path"
	"strings"
)

// docsFiles are /docs: our page and a vendored Swagger UI, so the docs work
// with no internet access.
//
//go:embed docs
var docsFiles embed.FS

// docsPolicy lets the docs page load only the binary's own assets and call
// only this API, and no other site frame it.
const docsPolicy = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

// redocPolicy is docsPolicy with inline styles, which ReDoc's styled
// components write into the page; its scripts are still only the binary's.
const redocPolicy = "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
	"font-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

func (s *Server) docs(w http.ResponseWriter, r *http.Request) error {
	return page(w, "docs/index.html", docsPolicy)
}

// redoc is GET /redoc: the API's reference in ReDoc, served by the binary.
func (s *Server) redoc(w http.ResponseWriter, r *http.Request) error {
	return page(w, "docs/redoc.html", redocPolicy)
}

// home is GET /: the interactive docs are where a person starts.
func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Location", "/docs")
	w.WriteHeader(http.StatusTemporaryRedirect)
	return nil
}

// page writes an embedded HTML page that no other site may frame.
func page(w http.ResponseWriter, name, policy string) error {
	body, err := docsFiles.ReadFile(name)
	if err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Content-Security-Policy", policy)
	_, err = w.Write(body)
	return err
}

// docsAssets serves /docs/{file}: Swagger UI's script, style and icon. They
// are not API routes, so they stay out of the route table and the document.
func (s *Server) docsAssets() http.Handler {
	sub, _ := fs.Sub(docsFiles, "docs")
	files := http.FileServerFS(sub)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name := r.PathValue("file")
		if name == "index.html" || name == "redoc.html" || name == "" {
			writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
			return
		}
		if _, err := fs.Stat(sub, pathFor(name)); err != nil {
			writeJSON(w, http.StatusNotFound, map[string]string{"detail": "Not Found"})
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=86400")
		r2 := r.Clone(r.Context())
		r2.URL.Path = "/" + pathFor(name)
		files.ServeHTTP(w, r2)
	})
}

// pathFor maps /docs/swagger-ui.css to the vendored file.
func pathFor(name string) string {
	switch {
	case name == "init.js" || name == "pamps.css" || name == "redoc-init.js":
		return name
	case strings.HasPrefix(name, "redoc."):
		return path.Join("redoc", name)
	}
	return path.Join("swagger-ui", name)
}
