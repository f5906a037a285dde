package main

import (
	"context"
	"encoding/json"
	"os/exec"
	"strings"
	"testing"

	"github.com/pamps/pamps/store/storetest"
)

// run runs the built binary with stdin and returns stdout, stderr and the exit code.
func runBinary(t *testing.T, env []string, stdin string, args ...string) (string, string, int) {
	t.Helper()
	cmd := exec.Command(binary(t), args...)
	cmd.Env = env
	cmd.Stdin = strings.NewReader(stdin)
	var out, errb strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	code := 0
	if ee, ok := err.(*exec.ExitError); ok {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return out.String(), errb.String(), code
}

func e2eEnv(t *testing.T, uri string) []string {
	return []string{"HOME=" + t.TempDir(), "PATH=/usr/bin:/bin", "PAMPS_DB__URI=" + uri, "PAMPS_SECURITY__BCRYPT_COST=4"}
}

func TestEndToEndBinary(t *testing.T) {
	storetest.EachURI(t, func(t *testing.T, uri string) {
		env := e2eEnv(t, uri)
		out, errs, code := runBinary(t, env, "hunter2hunter2\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin")
		if code != 0 || out != "created user ann (id 1)\n" {
			t.Fatalf("adduser: %d %q %q", code, out, errs)
		}
		out, _, code = runBinary(t, env, "", "post", "create", "--as", "ann", "hello from the binary")
		if code != 0 || out != "created post 1\n" {
			t.Fatalf("post create: %d %q", code, out)
		}
		out, _, _ = runBinary(t, env, "", "post", "list", "-o", "json")
		var posts []struct {
			ID       int64   `json:"id"`
			Text     string  `json:"text"`
			Date     string  `json:"date"`
			UserID   int64   `json:"user_id"`
			ParentID *int64  `json:"parent_id"`
			Username string  `json:"username"`
			Likes    float64 `json:"likes"`
			Replies  float64 `json:"reply_count"`
		}
		if err := json.Unmarshal([]byte(out), &posts); err != nil || len(posts) != 1 {
			t.Fatalf("post list json: %v %q", err, out)
		}
		p := posts[0]
		if p.ID != 1 || p.Text != "hello from the binary" || p.UserID != 1 || p.ParentID != nil || p.Username != "ann" || len(p.Date) != len("2006-01-02T15:04:05.000000Z") {
			t.Fatalf("post: %+v", p)
		}
		out, _, code = runBinary(t, env, "", "post", "show", "1")
		if code != 0 || !strings.HasPrefix(out, "1\tann\t"+p.Date+"\t0\t0\thello from the binary") {
			t.Fatalf("post show: %d %q", code, out)
		}
		_, errs, code = runBinary(t, env, "hunter2hunter2\n", "adduser", "--username", "Ann", "--email", "other@example.com", "--password-stdin")
		if code != 1 || errs != "Error: Username already taken\n" {
			t.Fatalf("duplicate user: %d %q", code, errs)
		}
		_, errs, code = runBinary(t, env, "", "post", "show", "42")
		if code != 1 || errs != "Error: Post 42 not found\n" {
			t.Fatalf("unknown post: %d %q", code, errs)
		}
	})
}

func TestHiddenPasswordPrompt(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	env := append(e2eEnv(t, uri), "TERM=xterm")
	p := startPTY(t, env, "adduser", "--email", "ann@example.com")
	p.waitFor("Username: ", 1)
	p.typeText("ann\n")
	p.waitFor("Password: ", 1)
	p.waitNoEcho()
	p.typeText("s3cret-words\n")
	p.waitFor("Repeat password: ", 1)
	p.waitNoEcho()
	p.typeText("s3cret-words\n")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit %d; screen:\n%s", code, p.text())
	}
	screen := p.text()
	if strings.Contains(screen, "s3cret") || !strings.Contains(screen, "ann\r\n") || !strings.Contains(screen, "created user ann (id 1)") {
		t.Fatalf("the password was echoed, or the prompt went wrong:\n%q", screen)
	}
	s := storetest.Open(t, uri, storetestRules())
	if _, err := s.Login(context.Background(), "test", "ann", "s3cret-words"); err != nil {
		t.Fatalf("the typed password does not log in: %v", err)
	}
}

// TestPasswordConfirmationMismatch: a repetition that differs asks for
// the password again (it ended the command, the name and email lost).
func TestPasswordConfirmationMismatch(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "TERM=xterm")
	p := startPTY(t, env, "adduser", "--username", "ann", "--email", "ann@example.com")
	p.waitFor("Password: ", 1)
	p.waitNoEcho()
	p.typeText("first-password\n")
	p.waitFor("Repeat password: ", 1)
	p.waitNoEcho()
	p.typeText("other-password\n")
	p.waitFor("passwords do not match; try again", 1)
	p.waitFor("Password: ", 2)
	p.typeText("first-password\n")
	p.waitFor("Repeat password: ", 2)
	p.typeText("first-password\n")
	if code := p.exitCode(); code != 0 || !strings.Contains(p.text(), "created user ann") {
		t.Fatalf("exit %d:\n%s", code, p.text())
	}
}

// TestInteractiveAdduserRefusesATakenNameFirst: a taken username or email
// is said as it is typed, before the passwords, and asked again.
func TestInteractiveAdduserRefusesATakenNameFirst(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "TERM=xterm")
	if _, errs, code := runBinary(t, env, "password1\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin"); code != 0 {
		t.Fatalf("adduser ann: %d %q", code, errs)
	}
	p := startPTY(t, env, "adduser")
	p.waitFor("Username: ", 1)
	p.typeText("ANN\n")
	p.waitFor("Username already taken; try again", 1)
	p.waitFor("Username: ", 2)
	p.typeText("bob\n")
	p.waitFor("Email: ", 1)
	p.typeText("Ann@Example.com\n")
	p.waitFor("Email already registered; try again", 1)
	p.waitFor("Email: ", 2)
	p.typeText("bob@example.com\n")
	p.waitFor("Password: ", 1)
	p.typeText("bobs-password\n")
	p.waitFor("Repeat password: ", 1)
	p.typeText("bobs-password\n")
	if code := p.exitCode(); code != 0 || !strings.Contains(p.text(), "created user bob") {
		t.Fatalf("exit %d:\n%s", code, p.text())
	}
}

func TestCtrlCAtPasswordPromptRestoresTerminal(t *testing.T) {
	env := append(e2eEnv(t, storetest.SQLiteURI(t)), "TERM=xterm")
	p := startPTY(t, env, "adduser", "--username", "ann", "--email", "ann@example.com")
	p.waitFor("Password: ", 1)
	p.waitNoEcho()
	p.typeText("\x03") // Ctrl-C
	code := p.exitCode()
	if code != 130 || !strings.Contains(p.text(), "Error: Interrupted") {
		t.Fatalf("exit %d:\n%s", code, p.text())
	}
	if !p.echo() {
		t.Fatal("the terminal was left without echo")
	}
}

// TestColourTableAsksTheTerminalNothing: on a terminal, the table is drawn in
// colour without asking the terminal anything (its background comes from
// COLORFGBG): a terminal that never answers, such as a bare pseudo-terminal,
// would cost every command termenv's 5 s timeout per question.
func TestColourTableAsksTheTerminalNothing(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	env := append(e2eEnv(t, uri), "TERM=xterm-256color")
	if _, errs, code := runBinary(t, env, "hunter2hunter2\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin"); code != 0 {
		t.Fatalf("adduser: %d %s", code, errs)
	}
	p := startPTY(t, env, "user", "list")
	if code := p.exitCode(); code != 0 {
		t.Fatalf("exit %d; screen:\n%q", code, p.text())
	}
	screen := p.text()
	// termenv asked for the background (OSC 11), then for the cursor (DSR).
	if strings.Contains(screen, "\x1b]11;?") || strings.Contains(screen, "\x1b[6n") {
		t.Errorf("the terminal was asked a question:\n%q", screen)
	}
	if !strings.Contains(screen, "ann") || !strings.Contains(screen, "\x1b[38;") || !strings.Contains(screen, "─") {
		t.Errorf("no coloured table:\n%q", screen)
	}
}

// TestDecliningAConfirmation: n at a [y/N] is the operator's choice, said
// plainly, exit 1 (it was "internal error"); Ctrl-C exits 130 at once (it
// waited for Enter). Nothing changes either way.
func TestDecliningAConfirmation(t *testing.T) {
	uri := storetest.SQLiteURI(t)
	env := e2eEnv(t, uri)
	if _, errs, code := runBinary(t, env, "password1\n", "adduser", "--username", "ann", "--email", "ann@example.com", "--password-stdin"); code != 0 {
		t.Fatal(errs)
	}
	runBinary(t, env, "", "post", "create", "--as", "ann", "keep me")
	for _, args := range [][]string{{"post", "delete", "1"}, {"user", "delete", "ann"}, {"db", "reset"}} {
		p := startPTY(t, env, args...)
		p.waitFor("[y/N]", 1)
		p.typeText("n\r")
		if code := p.exitCode(); code != 1 || !strings.Contains(p.text(), "Error: Not confirmed; nothing changed") {
			t.Errorf("%v answered n: exit %d\n%s", args, code, p.text())
		}
		p = startPTY(t, env, args...)
		p.waitFor("[y/N]", 1)
		p.typeText("\x03")
		if code := p.exitCode(); code != 130 {
			t.Errorf("%v at Ctrl-C: exit %d\n%s", args, code, p.text())
		}
	}
	out, _, _ := runBinary(t, env, "", "post", "list")
	if !strings.Contains(out, "keep me") {
		t.Fatalf("something changed: %q", out)
	}
}

// TestInteractiveAdduserAsksAgain: a refused email or password is asked
// again on a terminal instead of ending the command.
func TestInteractiveAdduserAsksAgain(t *testing.T) {
	env := e2eEnv(t, storetest.SQLiteURI(t))
	p := startPTY(t, env, "adduser", "--username", "ann")
	p.waitFor("Email: ", 1)
	p.typeText("not-an-email\r")
	p.waitFor("try again", 1)
	p.waitFor("Email: ", 2)
	p.typeText("ann@example.com\r")
	p.waitNoEcho()
	p.typeText("short\r")
	p.waitFor("Repeat password", 1)
	p.typeText("short\r")
	p.waitFor("try again", 2)
	p.waitFor("Password: ", 2)
	p.typeText("long-enough-1\r")
	p.waitFor("Repeat password", 2)
	p.typeText("long-enough-1\r")
	if code := p.exitCode(); code != 0 || !strings.Contains(p.text(), "created user ann") {
		t.Fatalf("exit %d:\n%s", code, p.text())
	}
}
