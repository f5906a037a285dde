package server_test

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"testing"
)

// TestHostileInput sends every route malformed, mistyped, oversized and
// malicious input. Every answer must be a 2xx or a 4xx with a JSON detail
// (never a 5xx, never a hang), and a refused request changes nothing.
func TestHostileInput(t *testing.T) {
	eachAPI(t, func(t *testing.T, a *api) {
		tok := a.register("ann")
		a.register("bob")
		expect(t, "seed post", a.do("POST", "/post/", map[string]any{"text": "seed"}, tok), 201, "")

		huge := strings.Repeat("x", 100<<10)
		deep := strings.Repeat(`{"a":`, 5000) + `1` + strings.Repeat(`}`, 5000)
		bodies := []string{
			``, `{`, `}`, `null`, `[]`, `"text"`, `123`, `{"text":}`, `{"text":"a",}`, `{'text':'a'}`,
			`{"text":null}`, `{"text":""}`, `{"text":123}`, `{"text":true}`, `{"text":["a"]}`, `{"text":{"a":1}}`,
			`{"text":"a","parent_id":"1"}`, `{"text":"a","parent_id":-1}`, `{"text":"a","parent_id":1.5}`,
			`{"text":"a","parent_id":99999999999999999999999999}`, `{"text":"a","parent_id":9223372036854775807}`,
			`{"text":"` + huge + `"}`, deep, "{\"text\":\"\xff\xfe\xfd\"}", `{"text":"a\u0000b"}`, `{"text":"\u0007\u001b[31m"}`,
			`{"username":"x'; DROP TABLE \"user\"; --","email":"a@b.c","password":"password1"}`,
			`{"email":"<script>alert(1)</script>@x.io","username":"ok","password":"password1"}`,
			`{"username":"` + huge + `","email":"` + huge + `","password":"` + huge + `"}`,
			`{"current_password":null,"new_password":null}`, `{"refresh_token":123}`, `{"bio":"` + strings.Repeat("b", 501) + `"}`,
			`{"avatar":"javascript:alert(1)"}`, `{"email":"not-an-email"}`,
			`{"text":"\ud800"}`, `{"text":"\udfff\ud800"}`, "{\"text\":\"\xc3\x28\"}", "{\"text\":\"\xed\xa0\x80\"}",
			`{"text":"\u200b"}`, `{"text":"a","text":"\ud800"}`, `{"refresh_token":"\ud83d"}`, `{"email":"ä@[127.0.0.1]","username":"x","password":"password1"}`,
			strings.Repeat(`[`, 20000), `{"a":` + strings.Repeat(`{"a":`, 100) + `1` + strings.Repeat(`}`, 101),
		}
		// Bodies no route may accept, whatever its fields: each must be a 4xx.
		malformed := map[string]bool{}
		for _, b := range append(bodies[:10:10], "{\"text\":\"\xff\xfe\xfd\"}", `{"text":"\ud800"}`, `{"text":"\udfff\ud800"}`,
			"{\"text\":\"\xc3\x28\"}", "{\"text\":\"\xed\xa0\x80\"}", `{"text":"a","text":"\ud800"}`, `{"refresh_token":"\ud83d"}`, strings.Repeat(`[`, 20000)) {
			malformed[b] = true
		}
		routes := []struct{ method, path string }{
			{"POST", "/user/"}, {"PATCH", "/user/me/"}, {"POST", "/user/me/password/"}, {"POST", "/post/"},
			{"PATCH", "/post/1/"}, {"POST", "/refresh_token"}, {"POST", "/token"},
		}
		counts := func() string {
			var out []string
			for _, table := range []string{`"user"`, "post", "follow", `"like"`} {
				var n int
				if err := a.st.DB().QueryRow("SELECT count(*) FROM " + table).Scan(&n); err != nil {
					t.Fatalf("%s: %v (was a table dropped?)", table, err)
				}
				out = append(out, table+"="+strconv.Itoa(n))
			}
			return strings.Join(out, " ")
		}
		check := func(label string, r response, before string) {
			t.Helper()
			if r.status >= 500 {
				t.Errorf("%s: %d %.200s", label, r.status, r.body)
				return
			}
			if r.status >= 400 {
				var d struct{ Detail any }
				if err := json.Unmarshal(r.body, &d); err != nil || d.Detail == nil {
					t.Errorf("%s: %d without a JSON detail: %.200s", label, r.status, r.body)
				}
				if after := counts(); after != before {
					t.Errorf("%s: refused, yet rows changed: %s -> %s", label, before, after)
				}
			}
		}
		for _, rt := range routes {
			for _, b := range bodies {
				before := counts()
				r := a.do(rt.method, rt.path, b, tok)
				check(rt.method+" "+rt.path+" "+trim(b), r, before)
				if malformed[b] && rt.path != "/token" && (r.status < 400 || r.status >= 500) {
					t.Errorf("%s %s %s: %d for a malformed body", rt.method, rt.path, trim(b), r.status)
				}
			}
			for _, form := range []string{"username=%ZZ&password=x", "username=a&password=" + strings.Repeat("p", 5000), "username=%FF%FE&password=x", strings.Repeat("a=&", 100000)} {
				before := counts()
				r := a.do(rt.method, rt.path, form, tok, "Content-Type", "application/x-www-form-urlencoded")
				check(rt.method+" "+rt.path+" form "+trim(form), r, before)
			}
			for _, ctype := range []string{"multipart/form-data", "multipart/form-data; boundary=x", "application/json; charset=latin1"} {
				before := counts()
				r := a.do(rt.method, rt.path, "--x\r\nContent-Disposition: form-data; name=\"username\"\r\n\r\nann\r\n--x", tok, "Content-Type", ctype)
				check(rt.method+" "+rt.path+" "+ctype, r, before)
			}
			before := counts()
			check(rt.method+" "+rt.path+" as text/plain", a.do(rt.method, rt.path, `{"text":"a"}`, tok, "Content-Type", "text/plain"), before)
			check(rt.method+" "+rt.path+" over the limit", a.do(rt.method, rt.path, `{"text":"`+strings.Repeat("y", 2<<20)+`"}`, tok), before)
		}
		for _, id := range []string{"-1", "0", "99999999999999999999", "abc", "1e3", "%00", "1;DROP", "%27%20OR%201%3D1", "1.0"} {
			for _, p := range []struct{ method, path string }{
				{"GET", "/post/" + id + "/"}, {"PATCH", "/post/" + id + "/"}, {"DELETE", "/post/" + id + "/"}, {"GET", "/post/" + id + "/replies/"},
				{"POST", "/post/" + id + "/like/"}, {"DELETE", "/post/" + id + "/like/"},
				{"POST", "/user/follow/" + id + "/"}, {"DELETE", "/user/follow/" + id + "/"},
			} {
				before := counts()
				r := a.do(p.method, p.path, `{"text":"x"}`, tok)
				check(p.method+" "+p.path, r, before)
				if r.status < 400 && id != "0" {
					t.Errorf("%s %s: %d for a bad id", p.method, p.path, r.status)
				}
			}
		}
		for _, name := range []string{"%00", "x%27%20OR%20%271%27%3D%271", "%3Cscript%3E", strings.Repeat("n", 5000), "%FF%FE", "..%2F..%2Fetc"} {
			for _, p := range []string{"/user/" + name + "/", "/user/" + name + "/followers/", "/post/user/" + name + "/", "/post/likes/" + name + "/"} {
				check("GET "+trim(p), a.do("GET", p, nil, ""), counts())
			}
		}
		for _, q := range []string{"limit=-1", "limit=1e9", "limit=%00", "cursor=%00", "cursor=-5", "cursor=" + strings.Repeat("9", 500), "include_replies=%FF", "limit=1&limit=abc",
			"cursor=-300000000000000000_5", "cursor=9223372036854775807_9223372036854775807", "cursor=1_-1", "cursor=" + strings.Repeat("_", 5000)} {
			for _, p := range []string{"/post/", "/user/timeline/", "/post/1/replies/", "/user/ann/followers/", "/user/ann/following/", "/post/likes/ann/", "/post/user/ann/", "/user/"} {
				r := a.do("GET", p+"?"+q, nil, tok)
				check("GET "+p+"?"+trim(q), r, counts())
				if r.status != 422 {
					t.Errorf("GET %s?%s: %d, want 422", p, trim(q), r.status)
				}
			}
		}
		check("logout", a.do("POST", "/user/me/logout/", `{"x":`, tok), counts())
		for _, auth := range []string{"Bearer", "Bearer ", "Bearer " + huge, "Bearer \x01", "bearer a.b.c", "Token abc", strings.Repeat("B", 10000)} {
			r := a.do("GET", "/user/me/", nil, "", "Authorization", strings.ReplaceAll(auth, "\x01", ""))
			if r.status != 401 {
				t.Errorf("Authorization %.20q: %d", auth, r.status)
			}
		}
		r := a.do("POST", "/token", url.Values{"username": {huge}, "password": {huge}}, "")
		check("login with huge fields", r, counts())
	})
}

func trim(s string) string {
	if len(s) > 60 {
		return s[:60] + "…"
	}
	return s
}
