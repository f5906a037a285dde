package pamps_test

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

// TestCitedFilesExist: comments, scripts and documents cite only files a
// clone has (they cited the contract in a folder beside the repository's;
// it now lives in docs/API.md).
func TestCitedFilesExist(t *testing.T) {
	out, err := exec.Command("git", "ls-files").Output()
	if err != nil {
		t.Skipf("not a git checkout: %v", err)
	}
	cited := regexp.MustCompile(`(?:^|[^\w./-])((?:docs|bench|deploy|postgres|server|store|cmd|tui|config)/[\w./{}-]*\.(?:md|sh|go|yaml|toml|sql|json))`)
	text := regexp.MustCompile(`\.(go|md|sh|yaml|toml)$`)
	for _, f := range strings.Fields(string(out)) {
		if !text.MatchString(f) && f != ".ci/run" {
			continue
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if outside := "../" + "shared"; strings.Contains(string(b), outside) {
			t.Errorf("%s cites %s, outside the clone", f, outside)
		}
		for _, m := range cited.FindAllStringSubmatch(string(b), -1) {
			if _, err := os.Stat(m[1]); err != nil {
				t.Errorf("%s cites %s, which the clone does not have", f, m[1])
			}
		}
	}
}
