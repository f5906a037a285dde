package pamps_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pamps/pamps"
	"github.com/pamps/pamps/config"
	"github.com/pamps/pamps/server/api"
	"github.com/pelletier/go-toml/v2"
	"go.yaml.in/yaml/v3"
)

// No Docker engine runs where the tests run, so the container and workspace
// files are checked by reading them against what the compose specification
// and the README promise.

func TestComposeFile(t *testing.T) {
	var compose struct {
		Services map[string]struct {
			Build       any               `yaml:"build"`
			Restart     string            `yaml:"restart"`
			Environment map[string]string `yaml:"environment"`
			Ports       []string          `yaml:"ports"`
			Volumes     []string          `yaml:"volumes"`
			Healthcheck struct {
				Test []string `yaml:"test"`
			} `yaml:"healthcheck"`
			DependsOn map[string]struct {
				Condition string `yaml:"condition"`
			} `yaml:"depends_on"`
		} `yaml:"services"`
		Volumes map[string]any `yaml:"volumes"`
	}
	readYAML(t, "docker-compose.yaml", &compose)
	db, api := compose.Services["db"], compose.Services["api"]
	// Over TCP: the image's temporary init server answers on the socket only.
	if hc := strings.Join(db.Healthcheck.Test, " "); !strings.Contains(hc, "pg_isready") || !strings.Contains(hc, "-h 127.0.0.1") {
		t.Errorf("db's healthcheck %q does not check over TCP", hc)
	}
	// Publishing 5432 on every address clashed with a local PostgreSQL.
	if len(db.Ports) != 1 || !strings.HasPrefix(db.Ports[0], "127.0.0.1:") {
		t.Errorf("db ports %v: bind them to 127.0.0.1", db.Ports)
	}
	if api.Restart != "on-failure" {
		t.Errorf("api restart %q, want on-failure", api.Restart)
	}
	if len(db.Volumes) == 0 || !strings.HasPrefix(db.Volumes[0], "pgdata:") {
		t.Error("db has no named volume")
	}
	if _, ok := compose.Volumes["pgdata"]; !ok {
		t.Error("volume pgdata is not declared")
	}
	if db.Environment["POSTGRES_DBS"] != "pamps, pamps_test" {
		t.Errorf("POSTGRES_DBS = %q", db.Environment["POSTGRES_DBS"])
	}
	if !strings.Contains(api.Environment["PAMPS_DB__uri"], "@db:5432/") {
		t.Errorf("api does not point at db: %q", api.Environment["PAMPS_DB__uri"])
	}
	// The secret comes from the environment or .env, and compose refuses
	// to start without one (${VAR:?message}); none is written here.
	if secret := api.Environment["PAMPS_SECURITY__SECRET_KEY"]; !strings.HasPrefix(secret, "${PAMPS_SECRET_KEY:?") {
		t.Errorf("api's secret is %q, want ${PAMPS_SECRET_KEY:?...} from the environment or .env", secret)
	}
	if !strings.Contains(readText(t, ".gitignore"), ".env") {
		t.Error(".gitignore does not keep .env (the compose secret) out of git")
	}
	if !strings.Contains(readText(t, "README.md"), "PAMPS_SECRET_KEY=") {
		t.Error("README does not say how to create .env with PAMPS_SECRET_KEY")
	}
	if api.DependsOn["db"].Condition != "service_healthy" {
		t.Error("api does not wait for a healthy db")
	}
	if len(api.Ports) == 0 || api.Ports[0] != "8000:8000" {
		t.Errorf("api ports %v", api.Ports)
	}
	build, _ := api.Build.(map[string]any)
	if build["dockerfile"] != "Dockerfile.dev" {
		t.Errorf("api build %v", api.Build)
	}
	if args, _ := build["args"].(map[string]any); args["VERSION"] == nil || args["COMMIT"] == nil {
		t.Errorf("api build args %v: pass VERSION and COMMIT", build["args"])
	}
	ignore := readText(t, ".dockerignore")
	for _, want := range []string{".git", "bin/", "node_modules/", "*.db", ".env"} {
		if !strings.Contains(ignore, want+"\n") {
			t.Errorf(".dockerignore lacks %s", want)
		}
	}
}

func TestDockerfiles(t *testing.T) {
	dev := readText(t, "Dockerfile.dev")
	for _, want := range []string{"CGO_ENABLED=0", "USER nonroot", `CMD ["serve"]`, "AS build", "COPY --from=build",
		"ARG VERSION", "ARG COMMIT", "-X main.version=${VERSION} -X main.commit=${COMMIT}"} {
		if !strings.Contains(dev, want) {
			t.Errorf("Dockerfile.dev lacks %q", want)
		}
	}
	pg := readText(t, "postgres/Dockerfile")
	if !strings.Contains(pg, "FROM postgres") || !strings.Contains(pg, "docker-entrypoint-initdb.d") {
		t.Error("postgres/Dockerfile does not install create-databases.sh into the official image")
	}
}

func TestWorkspaceFiles(t *testing.T) {
	var gitpod struct {
		Tasks []map[string]string `yaml:"tasks"`
	}
	readYAML(t, ".gitpod.yml", &gitpod)
	var dc map[string]any
	if err := json.Unmarshal([]byte(readText(t, ".devcontainer/devcontainer.json")), &dc); err != nil {
		t.Fatalf("devcontainer.json: %v", err)
	}
	all := readText(t, ".gitpod.yml") + readText(t, ".devcontainer/devcontainer.json")
	for _, want := range []string{"postgres", "tmux", "wrk", "golang.go", "go run ./cmd/pamps serve", "./test.sh"} {
		if !strings.Contains(all, want) {
			t.Errorf("workspace files lack %q", want)
		}
	}
	// The messages match the environment: a PostgreSQL URI is set there,
	// so they do not speak of the embedded SQLite default; the SSH port is
	// forwarded; ./test.sh has Node.js for its OpenAPI lint.
	if strings.Contains(all, "embedded SQLite") || !strings.Contains(all, "PAMPS_DB__URI") {
		t.Error("the workspace messages speak of SQLite where they set a PostgreSQL URI")
	}
	if !strings.Contains(all, "2222") || !strings.Contains(readText(t, ".devcontainer/devcontainer.json"), "features/node") {
		t.Error("the workspaces forward no SSH port, or the devcontainer has no Node.js")
	}
	readme := readText(t, "README.md")
	for _, want := range []string{"CGO_ENABLED=0 go run ./cmd/pamps serve", "./test.sh", "a few minutes"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q", want)
		}
	}
	if !strings.Contains(readText(t, "test.sh"), "export CGO_ENABLED=0") {
		t.Error("test.sh builds with another CGO_ENABLED than the README's go run: the second rebuilds everything")
	}
}

// TestEverySettingHasADefault: each key config knows is written in
// default.toml, which is embedded in the binary (go:embed), so `config show`
// and the documentation of every setting start from the shipped file. (A test
// that compared the embedded copy with the file could not fail: go:embed
// reads that file.)
func TestEverySettingHasADefault(t *testing.T) {
	var doc map[string]map[string]map[string]any
	if err := toml.Unmarshal(pamps.DefaultTOML, &doc); err != nil {
		t.Fatal(err)
	}
	for _, key := range config.Keys() {
		section, name, _ := strings.Cut(key, ".")
		if _, ok := doc["default"][section][name]; !ok {
			t.Errorf("default.toml has no [default.%s] %s", section, name)
		}
	}
}

func readText(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func readYAML(t *testing.T, path string, v any) {
	t.Helper()
	if err := yaml.Unmarshal([]byte(readText(t, path)), v); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
}

// TestScriptsClearInheritedSettings: test.sh and the bench/ scripts only
// touch databases they make: inherited PAMPS_* settings are cleared first
// (a developer's PAMPS_DB__uri had bench/soak.sh reset their database).
func TestScriptsClearInheritedSettings(t *testing.T) {
	cmd := exec.Command("bash", "-c", `source bench/clean-env.sh; env | grep '^PAMPS_' | sort`)
	cmd.Env = []string{"PATH=/usr/bin:/bin", "PAMPS_DB__uri=sqlite:/home/dev/pamps.db", "PAMPS_DB__URI=postgresql://dev@db/pamps",
		"PAMPS_SECURITY__SECRET_KEY=x", "PAMPS_ENV=production", "PAMPS_TEST_DATABASE_URL=postgresql://t@127.0.0.1:1/t"}
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if string(out) != "PAMPS_TEST_DATABASE_URL=postgresql://t@127.0.0.1:1/t\n" {
		t.Fatalf("left after clean-env.sh:\n%s", out)
	}
	for _, f := range []string{"test.sh", "bench/lib.sh", "bench/docs-check.sh"} {
		if !strings.Contains(readText(t, f), "source bench/clean-env.sh") && !strings.Contains(readText(t, f), `/clean-env.sh"`) {
			t.Errorf("%s does not source bench/clean-env.sh", f)
		}
	}
	scripts, _ := filepath.Glob("bench/*.sh")
	for _, f := range scripts {
		body := readText(t, f)
		if strings.Contains(body, "PAMPS_DB__URI") && !strings.Contains(body, "source bench/lib.sh") && !strings.Contains(body, "clean-env.sh") {
			t.Errorf("%s sets a database without clearing inherited settings", f)
		}
	}
}

// TestOneLipgloss: the CLI and the TUI draw with one major of lipgloss (v2,
// charm.land), so go.mod holds neither v1 nor termenv.
func TestOneLipgloss(t *testing.T) {
	mod := readText(t, "go.mod")
	for _, gone := range []string{"github.com/charmbracelet/lipgloss ", "github.com/muesli/termenv"} {
		if strings.Contains(mod, gone) {
			t.Errorf("go.mod still requires %s", strings.TrimSpace(gone))
		}
	}
	if !strings.Contains(mod, "charm.land/lipgloss/v2 ") {
		t.Error("go.mod does not require charm.land/lipgloss/v2")
	}
}

// TestTestShEndsWithASummary: ./test.sh's last line says how it went
// ("test.sh: N passed, 0 failed" or the step that failed), whatever step
// ends it, and npm's notices stay out.
func TestTestShEndsWithASummary(t *testing.T) {
	sh := readText(t, "test.sh")
	for _, want := range []string{`trap finish EXIT`, `echo "test.sh: ${passed:-0} passed, ${failed:-0} failed"`, `failed at \"$current\"`,
		"--jsonfile \"$results\"", "npm_config_update_notifier=false"} {
		if !strings.Contains(sh, want) {
			t.Errorf("test.sh lacks %s", want)
		}
	}
	// The summary counts go test's JSON: check it on a sample.
	cmd := exec.Command("bash", "-c", `results=$(mktemp); printf '%s\n' \
		'{"Action":"pass","Package":"p","Test":"TestA"}' '{"Action":"pass","Package":"p","Test":"TestA/sub"}' \
		'{"Action":"fail","Package":"p","Test":"TestB"}' '{"Action":"pass","Package":"p"}' >"$results"; current=x; `+
		extractFunc(t, sh, "summary")+`; summary 1`)
	out, _ := cmd.Output()
	if got := strings.TrimSpace(string(out)); got != `test.sh: failed at "x" (go test: 2 passed, 1 failed)` {
		t.Errorf("summary of a sample: %q", got)
	}
}

// extractFunc is the text of a bash function of script.
func extractFunc(t *testing.T, script, name string) string {
	t.Helper()
	start := strings.Index(script, name+"() {")
	end := strings.Index(script[start:], "\n}\n")
	if start < 0 || end < 0 {
		t.Fatalf("no function %s", name)
	}
	return script[start : start+end+2]
}

// TestReadmeIsSelfContained: the README's "Try it in a minute" goes from
// seed to a signed-in TUI with the binary alone.
func TestReadmeIsSelfContained(t *testing.T) {
	readme := readText(t, "README.md")
	for _, want := range []string{"## Try it in a minute", "pamps seed --users", "pamps serve 2>serve.log &", "pamps token", "curl", "pamps tui", "/openapi.json", "/redoc", "pamps openapi"} {
		if !strings.Contains(readme, want) {
			t.Errorf("README lacks %q", want)
		}
	}
}

// TestFilesStaySmall: a Go file holds one idea and stays under 300 lines
// (tui/model.go had 454).
func TestFilesStaySmall(t *testing.T) {
	err := filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "bin" || d.Name() == "node_modules" || strings.HasPrefix(d.Name(), ".")) && path != "." {
			return filepath.SkipDir
		}
		if !d.IsDir() && strings.HasSuffix(path, ".go") {
			if n := strings.Count(readText(t, path), "\n"); n > 300 {
				t.Errorf("%s has %d lines", path, n)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLicenseIsTheDocuments: the OpenAPI document says MIT; the repository
// had no LICENSE file to say so.
func TestLicenseIsTheDocuments(t *testing.T) {
	b, err := os.ReadFile("LICENSE")
	if err != nil {
		t.Fatal(err)
	}
	info := api.New(nil, api.Options{}).OpenAPI()["info"].(map[string]any)
	name := info["license"].(map[string]any)["name"].(string)
	if first, _, _ := strings.Cut(string(b), "\n"); first != name+" License" {
		t.Fatalf("LICENSE begins %q; the OpenAPI document says %s", first, name)
	}
}
