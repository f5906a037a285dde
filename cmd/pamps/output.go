package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/table"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/tui"
)

// Output formats.
const (
	formatTable = "table" // lipgloss tables, colour on a terminal
	formatPlain = "plain" // one record a line, tab-separated, no colour
	formatJSON  = "json"  // the HTTP API's shapes
)

// printer writes records in the chosen format.
type printer struct {
	format string
	w      io.Writer // stdout, styled for it
	errw   io.Writer // stderr, styled for it
	width  int
	color  bool
	st     styles
	now    time.Time
}

// printer picks the format: the -o flag, else a table on a terminal and plain
// text when piped. Colour only on a terminal, never with NO_COLOR or --no-color.
func (a *App) printer() (*printer, error) {
	tty := a.stdoutIsTerminal()
	format := a.flags.output
	switch format {
	case "":
		format = formatPlain
		if tty {
			format = formatTable
		}
	case formatTable, formatPlain, formatJSON:
	default:
		return nil, usage("invalid --output %q: use table, plain or json", format)
	}
	color := a.colorOn(a.Out)
	return &printer{format: format, w: styled(a.Out, color), errw: styled(a.Err, a.colorOn(a.Err)), width: a.terminalWidth(),
		color: color, st: newStyles(tui.DarkFromEnv(a.Getenv)), now: time.Now()}, nil
}

// done ends a command that changed something: v as JSON under -o json,
// else one line of text.
func (a *App) done(v any, format string, args ...any) error {
	p, err := a.printer()
	if err != nil {
		return err
	}
	if p.format == formatJSON {
		return p.JSON(v)
	}
	return a.say(format, args...)
}

// say writes one line to stdout. It names stored things (the usernames of
// an adopted database): their text is shown escaped, as in every other
// human-facing output.
func (a *App) say(format string, args ...any) error {
	for i, arg := range args {
		if s, ok := arg.(string); ok {
			args[i] = store.Printable(s)
		}
	}
	_, err := fmt.Fprintf(a.Out, format+"\n", args...)
	return err
}

// JSON writes v as indented JSON.
func (p *printer) JSON(v any) error {
	enc := json.NewEncoder(p.w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Table writes rows under headers: a bordered table sized to the terminal, or
// tab-separated lines without a header when plain.
func (p *printer) Table(headers []string, rows [][]string) error {
	if p.format == formatPlain {
		for _, r := range rows {
			for i := range r {
				r[i] = plainField(r[i])
			}
			if _, err := fmt.Fprintln(p.w, strings.Join(r, "\t")); err != nil {
				return err
			}
		}
		return nil
	}
	if len(rows) == 0 {
		_, err := fmt.Fprintln(p.w, p.st.dim.Render("(none)"))
		return err
	}
	// No right border: terminals disagree on the width of some emoji (tmux
	// draws a skin-tone modifier in two more columns than lipgloss and most
	// terminals count), and the last column (a post's text) then pushed
	// that row's edge out of line. Without it nothing is left to misalign.
	t := table.New().
		Border(lipgloss.RoundedBorder()).
		BorderRight(false).
		BorderStyle(p.st.border).
		Headers(headers...).
		Rows(rows...).
		Wrap(false).
		StyleFunc(func(row, col int) lipgloss.Style {
			if row == table.HeaderRow {
				return p.st.header.Padding(0, 1)
			}
			return lipgloss.NewStyle().Padding(0, 1)
		})
	if natural := lipgloss.Width(t.String()); natural > p.width {
		t.Width(p.width)
	}
	_, err := fmt.Fprintln(p.w, t.String())
	return err
}

// plainField keeps one record on one line.
func plainField(s string) string {
	return strings.NewReplacer("\t", " ", "\r\n", " ", "\n", " ", "\r", " ").Replace(s)
}

// ago is a relative time on a terminal ("3m ago") and RFC 3339 otherwise.
func (p *printer) ago(t time.Time) string {
	if p.format != formatTable {
		return t.UTC().Format("2006-01-02T15:04:05.000000Z")
	}
	d := p.now.Sub(t)
	switch {
	case d < 0:
		return "just now"
	case d < time.Minute:
		return fmt.Sprintf("%ds ago", int(d.Seconds()))
	case d < time.Hour:
		return fmt.Sprintf("%dm ago", int(d.Minutes()))
	case d < 24*time.Hour:
		return fmt.Sprintf("%dh ago", int(d.Hours()))
	case d < 30*24*time.Hour:
		return fmt.Sprintf("%dd ago", int(d.Hours()/24))
	}
	return t.UTC().Format("2006-01-02")
}

// cut shortens s to n display cells with "…", on one line.
func cut(s string, n int) string {
	s = plainField(s)
	if n < 2 {
		return s
	}
	return ansi.Truncate(s, n, "…")
}
