package main

import (
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// TestTwoReplicasActAsOne starts two `pamps serve` processes at the same
// moment on one empty PostgreSQL database.
func TestTwoReplicasActAsOne(t *testing.T) {
	uri := storetest.PostgresURI(t)
	env := e2eEnv(t, uri)
	var replicas [2]*served
	var wg sync.WaitGroup
	for i := range replicas {
		wg.Add(1)
		go func() { defer wg.Done(); replicas[i] = startServe(t, env) }()
	}
	wg.Wait()
	a, b := replicas[0].base, replicas[1].base
	for _, r := range replicas {
		if strings.Contains(r.log(), "Error") {
			t.Fatalf("a replica failed to start:\n%s", r.log())
		}
	}
	st := storetest.Open(t, uri, storeOptions())
	status, err := st.MigrationStatus(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range status {
		if !m.Applied {
			t.Fatalf("migration %s not applied", m.Name)
		}
	}

	call := func(method, base, path, body, token string) (int, string) {
		req, _ := http.NewRequest(method, base+path, strings.NewReader(body))
		if strings.HasPrefix(body, "{") {
			req.Header.Set("Content-Type", "application/json")
		} else if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, u := range []string{"ann", "bob"} {
		if code, body := call("POST", a, "/user/", fmt.Sprintf(`{"email":"%s@example.com","username":"%s","password":"password1"}`, u, u), ""); code != 201 {
			t.Fatalf("register on A: %d %s", code, body)
		}
	}
	// a token issued by A is accepted by B
	_, body := call("POST", a, "/token", url.Values{"username": {"ann"}, "password": {"password1"}}.Encode(), "")
	token := body[strings.Index(body, `"access_token":"`)+16:]
	token = token[:strings.Index(token, `"`)]
	if code, me := call("GET", b, "/user/me/", "", token); code != 200 || !strings.Contains(me, `"username":"ann"`) {
		t.Fatalf("B refuses A's token: %d %s", code, me)
	}
	// a post written through B is read through A
	if code, _ := call("POST", b, "/post/", `{"text":"written on B"}`, token); code != 201 {
		t.Fatal("post on B")
	}
	if code, list := call("GET", a, "/post/user/ann/", "", ""); code != 200 || !strings.Contains(list, "written on B") {
		t.Fatalf("A does not see it: %s", list)
	}
	// a like and a follow race across both: one row each
	statuses := make([]int, 40)
	var race sync.WaitGroup
	for i := range statuses {
		race.Add(1)
		go func() {
			defer race.Done()
			base := []string{a, b}[i%2]
			path := "/post/1/like/"
			if i >= 20 {
				path = "/user/follow/2/"
			}
			statuses[i], _ = call("POST", base, path, "", token)
		}()
	}
	race.Wait()
	created := 0
	for _, s := range statuses {
		if s == 201 {
			created++
		} else if s != 200 {
			t.Fatalf("statuses %v", statuses)
		}
	}
	var likes, follows int
	st.DB().QueryRow(`SELECT count(*) FROM "like"`).Scan(&likes)
	st.DB().QueryRow(`SELECT count(*) FROM follow`).Scan(&follows)
	if created != 2 || likes != 1 || follows != 1 {
		t.Fatalf("%d created, %d likes, %d follows", created, likes, follows)
	}
}
