package pamps_test

import (
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestImportsFlowOneWay: cmd wires config, store, server and tui; server
// and tui use the store; the store uses none of them, and config uses only
// the database-URI rules. Inside server, each door stands apart; inside
// store, the plumbing built on the domain (live events, seed) is not
// imported back by it. docs/architecture.md draws the same arrows.
func TestImportsFlowOneWay(t *testing.T) {
	const mod = "github.com/pamps/pamps/"
	forbidden := map[string][]string{ // package (a prefix) -> what it must not import (prefixes)
		"store":         {"cmd", "config", "server", "tui"},
		"config":        {"cmd", "server", "tui", "store/internal", "store/live", "store/seed", "store/limit"},
		"server":        {"cmd", "config", "tui"},
		"tui":           {"cmd", "config", "server"},
		"server/api":    {"server/sshd"},
		"server/sshd":   {"server/api", "server/stream"},
		"server/stream": {"server/api", "server/sshd"},
	}
	exactlyNot := map[string][]string{ // the package itself, not its subpackages
		"store":  {"store/live", "store/seed", "store/storetest"},
		"config": {"store"},
	}
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		pkg := filepath.ToSlash(filepath.Dir(path))
		f, err := parser.ParseFile(token.NewFileSet(), path, nil, parser.ImportsOnly)
		if err != nil {
			return err
		}
		for _, spec := range f.Imports {
			imp, _ := strconv.Unquote(spec.Path.Value)
			if !strings.HasPrefix(imp, mod) {
				continue
			}
			imp = strings.TrimPrefix(imp, mod)
			for from, bans := range forbidden {
				if pkg != from && !strings.HasPrefix(pkg, from+"/") {
					continue
				}
				for _, ban := range bans {
					if imp == ban || strings.HasPrefix(imp, ban+"/") {
						t.Errorf("%s imports %s: %s must not import %s", path, imp, from, ban)
					}
				}
			}
			for _, ban := range exactlyNot[pkg] {
				if imp == ban {
					t.Errorf("%s imports %s", path, imp)
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestNoSleepsAsSynchronisation: tests wait for conditions
// (storetest/eventually) or run on synctest's clock; a time.Sleep left in a
// test outside a synctest bubble must say on its line why it is no guess
// (a client's pause, the wait an answer asks for).
func TestNoSleepsAsSynchronisation(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, "_test.go") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil || strings.Contains(string(b), `"testing/synctest"`) {
			return err
		}
		for i, line := range strings.Split(string(b), "\n") {
			if _, after, ok := strings.Cut(line, "time.Sleep("); ok && !strings.Contains(after, "//") {
				t.Errorf("%s:%d: a sleep with no reason: wait for a condition (eventually.True) instead", path, i+1)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
