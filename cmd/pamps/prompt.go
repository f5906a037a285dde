package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/term"
)

// errInterrupted ends a prompt on Ctrl-C, after the terminal is restored.
var errInterrupted = errors.New("interrupted")

// lineReader reads stdin line by line; shared so that prompts and
// --password-stdin never lose buffered input.
func (a *App) lineReader() *bufio.Reader {
	if a.reader == nil {
		a.reader = bufio.NewReader(a.In)
	}
	return a.reader
}

// readLine reads one line (without its newline), giving up on Ctrl-C.
func (a *App) readLine(ctx context.Context) (string, error) {
	type result struct {
		line string
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		line, err := a.lineReader().ReadString('\n')
		if err == io.EOF && line != "" {
			err = nil
		}
		ch <- result{strings.TrimRight(line, "\r\n"), err}
	}()
	select {
	case r := <-ch:
		return r.line, r.err
	case <-ctx.Done():
		fmt.Fprintln(a.Err)
		return "", errInterrupted
	}
}

// ask prompts for a value on the terminal, keeping def when the answer is empty.
func (a *App) ask(ctx context.Context, label string) (string, error) {
	fmt.Fprintf(a.Err, "%s: ", label)
	line, err := a.readLine(ctx)
	if err != nil {
		if errors.Is(err, io.EOF) {
			return "", fail("no answer for %s", label)
		}
		return "", err
	}
	return strings.TrimSpace(line), nil
}

// readPassword reads a password without echo. On Ctrl-C the terminal is put
// back as it was before the prompt.
func (a *App) readPassword(ctx context.Context, prompt string) (string, error) {
	f, ok := a.In.(*os.File)
	if !ok || !isTerminal(f) {
		return "", usage("not on a terminal: use --password-stdin")
	}
	fd := int(f.Fd())
	state, err := term.GetState(fd)
	if err != nil {
		return "", err
	}
	fmt.Fprint(a.Err, prompt)
	type result struct {
		pw  []byte
		err error
	}
	ch := make(chan result, 1)
	go func() {
		pw, err := term.ReadPassword(fd)
		ch <- result{pw, err}
	}()
	select {
	case r := <-ch:
		fmt.Fprintln(a.Err)
		return string(r.pw), r.err
	case <-ctx.Done():
		_ = term.Restore(fd, state)
		fmt.Fprintln(a.Err)
		return "", errInterrupted
	}
}

// newPassword gets a new password: from stdin with --password-stdin, else
// asked twice, hidden, on the terminal.
func (a *App) newPassword(ctx context.Context, fromStdin bool) (string, error) {
	if fromStdin {
		line, err := a.readLine(ctx)
		if err != nil && !errors.Is(err, io.EOF) {
			return "", err
		}
		if line == "" {
			return "", fail("--password-stdin: no password on standard input")
		}
		return line, nil
	}
	if !a.stdinIsTerminal() {
		return "", usage("not on a terminal: pass the password with --password-stdin")
	}
	pw, err := a.readPassword(ctx, "Password: ")
	if err != nil {
		return "", err
	}
	again, err := a.readPassword(ctx, "Repeat password: ")
	if err != nil {
		return "", err
	}
	if pw != again {
		return "", errPasswordMismatch
	}
	return pw, nil
}

// errPasswordMismatch: the password and its repetition differ (adduser
// asks again).
var errPasswordMismatch = failure{message("passwords do not match")}
