package api

import (
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"unicode/utf8"
)

// readForm reads an OAuth2 form body (urlencoded or multipart) and keeps
// the named fields, each at most maxFormField bytes; the others are skipped
// without being stored, so the form costs no memory beyond its fields. As
// FastAPI does, a body that is no form has none of the fields.
func readForm(r *http.Request, fields ...string) (map[string]string, error) {
	form := map[string]string{}
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var issues inputError
	keep := func(name, value string) {
		if !slices.Contains(fields, name) {
			return
		}
		if len(value) > maxFormField {
			issues.add(fmt.Sprintf("ensure this value has at most %d bytes", maxFormField), "value_error.any_str.max_length", "body", name)
			return
		}
		form[name] = value
	}
	switch mt {
	case "application/x-www-form-urlencoded":
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			return nil, bodyError(r, err)
		}
		for pair := range strings.SplitSeq(string(raw), "&") {
			k, v, _ := strings.Cut(pair, "=")
			name, err1 := url.QueryUnescape(k)
			if err1 != nil || !slices.Contains(fields, name) {
				continue
			}
			value, err2 := url.QueryUnescape(v)
			if err2 != nil {
				issues.add("could not read the form: bad escape", "value_error.form", "body", name)
				continue
			}
			keep(name, value)
		}
	case "multipart/form-data":
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			part, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				if berr := bodyError(r, err); berr != err {
					return nil, berr
				}
				issues.add("could not read the form: "+err.Error(), "value_error.form", "body")
				return nil, &issues
			}
			name := part.FormName()
			if !slices.Contains(fields, name) {
				if _, err := io.Copy(io.Discard, part); err != nil {
					return nil, bodyError(r, err)
				}
				continue
			}
			value, err := io.ReadAll(io.LimitReader(part, maxFormField+1))
			if err != nil {
				return nil, bodyError(r, err)
			}
			keep(name, string(value))
		}
	default:
		if _, err := io.Copy(io.Discard, r.Body); err != nil {
			return nil, bodyError(r, err)
		}
	}
	missing := "field required"
	if mt != "application/x-www-form-urlencoded" && mt != "multipart/form-data" {
		// The fields may well be there, in JSON: say what was wrong.
		sent := mt
		if sent == "" {
			sent = "no Content-Type"
		}
		missing = "field required: this route takes a form (application/x-www-form-urlencoded or multipart/form-data: OAuth2's password flow), not " + sent
	}
	for _, f := range fields {
		if _, ok := form[f]; !ok && !issues.has(f) {
			issues.add(missing, "value_error.missing", "body", f)
		}
	}
	if bad := badFormText(form); bad != "" {
		issues.add("must be valid UTF-8", "value_error.encoding", "body", bad)
	}
	return form, issues.orNil()
}

// maxFormField bounds one field of a form; a username or password is far shorter.
const maxFormField = 4 << 10

func badFormText(form map[string]string) string {
	for k, v := range form {
		if !utf8.ValidString(v) {
			return k
		}
	}
	return ""
}
