package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestCommandLineConsistency: typos are errors with a suggestion (they
// printed help and exited 0), the aliases people type work, --limit 0 is
// refused like --limit 5000, and not-found errors name what was not found.
func TestCommandLineConsistency(t *testing.T) {
	c := newCLI(t, "sqlite:"+t.TempDir()+"/p.db")
	c.addUser("ann")
	c.ok("post", "new", "--as", "ann", "via an alias")
	for args, want := range map[string]string{
		"user lsit":  `Unknown command "lsit" for "pamps user"; did you mean "list"?`,
		"post lst":   `Unknown command "lst" for "pamps post"; did you mean "list"?`,
		"db rest":    `Unknown command "rest" for "pamps db"; did you mean "reset"?`,
		"config shw": `Unknown command "shw" for "pamps config"; did you mean "show"?`,
		"addusr":     `Unknown command "addusr" for "pamps"; did you mean "adduser"?`,
	} {
		c.fails(2, want, strings.Fields(args)...)
	}
	if out := c.ok("user"); !strings.Contains(out, "Available Commands") {
		t.Errorf("a group alone shows its help: %q", out)
	}
	for _, args := range [][]string{{"user", "ls"}, {"post", "ls"}} {
		if out := c.ok(args...); !strings.Contains(out, "ann") {
			t.Errorf("%v: %q", args, out)
		}
	}
	if r := c.run("password1\n", "user", "add", "zed", "--email", "zed@example.com", "--password-stdin"); r.code != 0 || !strings.Contains(r.out, "created user zed") {
		t.Errorf("user add zed: %d %q %q", r.code, r.out, r.err)
	}
	c.ok("post", "rm", "1", "--force")
	c.ok("user", "rm", "zed", "--force")
	for _, args := range [][]string{{"post", "list", "--limit", "0"}, {"post", "list", "--limit", "5000"}, {"user", "list", "--limit", "0"},
		{"timeline", "ann", "--limit", "0"}, {"likes", "ann", "--limit", "-1"}, {"user", "followers", "ann", "--limit", "0"}} {
		c.fails(2, "--limit must be between 1 and 1000", args...)
	}
	c.fails(1, `User "nobody" not found`, "post", "list", "--user", "nobody")
	c.fails(1, "Parent post 42 not found", "post", "reply", "42", "--as", "ann", "hi")
}

// TestCompletionOffersNamesIdsAndValues: completion knows usernames, post
// ids and flag values, not only command names.
func TestCompletionOffersNamesIdsAndValues(t *testing.T) {
	c := newCLI(t, "sqlite:"+t.TempDir()+"/p.db")
	c.addUser("ann")
	c.addUser("andy")
	c.addUser("bob")
	c.ok("post", "create", "--as", "ann", "hello there")
	for args, want := range map[string][]string{
		"user show an":       {"ann", "andy"},
		"timeline b":         {"bob"},
		"post create --as a": {"ann", "andy"},
		"post list --user b": {"bob"},
		"post show ":         {"1\thello there"},
		"like --as ann ":     {"1\thello there"},
		"user list -o ":      {"table", "plain", "json"},
		"follow --as ann b":  {"bob"},
		"user show ann ":     {},
	} {
		fields := strings.Split(args, " ")
		out := c.ok(append([]string{"__complete"}, fields...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		got := lines[:len(lines)-1] // the last line is the directive
		if strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("complete %q: %q, want %q", args, got, want)
		}
	}
}

// TestUserShowJSONIsADocumentedShape: -o json promises the API's shapes;
// user show prints Profile, which the OpenAPI document describes.
func TestUserShowJSONIsADocumentedShape(t *testing.T) {
	c := newCLI(t, "sqlite:"+t.TempDir()+"/p.db")
	c.addUser("ann")
	var got map[string]any
	if err := json.Unmarshal([]byte(c.ok("user", "show", "ann", "-o", "json")), &got); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Components struct {
			Schemas map[string]struct {
				Required []string `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal([]byte(c.ok("openapi")), &doc); err != nil {
		t.Fatal(err)
	}
	want := doc.Components.Schemas["Profile"].Required
	if len(want) == 0 || len(got) != len(want) {
		t.Fatalf("user show -o json has %v, the document's Profile %v", got, want)
	}
	for _, k := range want {
		if _, ok := got[k]; !ok {
			t.Errorf("user show -o json lacks %q", k)
		}
	}
}
