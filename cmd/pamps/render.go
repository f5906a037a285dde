package main

import (
	"fmt"
	"strconv"
	"strings"

	"charm.land/lipgloss/v2"
	"charm.land/lipgloss/v2/tree"
	"github.com/charmbracelet/x/ansi"
	"github.com/pamps/pamps/store"
)

func str(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// fit cuts the last column so that a table of these rows fits the terminal.
func (p *printer) fit(headers []string, rows [][]string) {
	if p.format != formatTable || len(rows) == 0 {
		return
	}
	last := len(headers) - 1
	used := 1 // left border
	for col := 0; col < last; col++ {
		w := lipgloss.Width(headers[col])
		for _, r := range rows {
			w = max(w, lipgloss.Width(r[col]))
		}
		used += w + 3 // padding both sides and a border
	}
	room := max(p.width-used-3, 12)
	for _, r := range rows {
		r[last] = cut(r[last], room)
	}
}

// users prints a list of profiles.
func (p *printer) users(users []store.User) error {
	if p.format == formatJSON {
		return p.JSON(users)
	}
	headers := []string{"ID", "USERNAME", "FOLLOWERS", "FOLLOWING", "BIO"}
	rows := make([][]string, 0, len(users))
	for _, u := range users {
		name := store.Printable(u.Username)
		if p.format == formatTable {
			name = p.st.name.Render(name)
		}
		rows = append(rows, []string{itoa(u.ID), name, itoa(u.Followers), itoa(u.Following), store.Printable(str(u.Bio))})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}

// posts prints a list of posts.
func (p *printer) posts(posts []store.Post) error {
	if p.format == formatJSON {
		return p.JSON(posts)
	}
	headers := []string{"ID", "AUTHOR", "WHEN", "LIKES", "REPLIES", "REPLY TO", "TEXT"}
	rows := make([][]string, 0, len(posts))
	for _, post := range posts {
		parent := "-"
		if post.ParentID != nil {
			parent = itoa(*post.ParentID)
		}
		name := store.Printable(post.Username)
		if p.format == formatTable {
			name = p.st.name.Render(name)
			if post.ParentID != nil {
				parent = p.st.dim.Render("↳ " + parent)
			} else {
				parent = ""
			}
		}
		rows = append(rows, []string{itoa(post.ID), name, p.ago(post.Date.Time), itoa(post.Likes), itoa(post.ReplyCount), parent, store.Printable(post.Text)})
	}
	p.fit(headers, rows)
	return p.Table(headers, rows)
}

// profile prints one user with their counts.
func (p *printer) profile(u store.Profile) error {
	if p.format == formatJSON {
		return p.JSON(u)
	}
	fields := [][2]string{
		{"id", itoa(u.ID)}, {"username", u.Username}, {"email", u.Email}, {"role", string(u.Role)}, {"status", standing(u.Status, u.SuspendedAt, u.SuspendReason)},
		{"bio", str(u.Bio)}, {"avatar", str(u.Avatar)},
		{"posts", itoa(u.Posts)}, {"followers", itoa(u.Followers)}, {"following", itoa(u.Following)},
		{"blocks", strings.Join(u.Blocks, " ")}, {"mutes", strings.Join(u.Mutes, " ")},
	}
	return p.fields(fields)
}

// fields prints one record as name, value lines (the values are stored
// text, shown escaped): aligned and dim names on a terminal, tab-separated
// when plain (a name's spaces become underscores).
func (p *printer) fields(fields [][2]string) error {
	width := 0
	for _, f := range fields {
		width = max(width, len(f[0]))
	}
	for _, f := range fields {
		v := store.Printable(f[1])
		var err error
		if p.format == formatTable {
			_, err = fmt.Fprintf(p.w, "%s %s\n", p.st.dim.Render(fmt.Sprintf("%-*s", max(width, 10), f[0])), v)
		} else {
			_, err = fmt.Fprintf(p.w, "%s\t%s\n", strings.ReplaceAll(f[0], " ", "_"), plainField(v))
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// maxThreadIndent is the deepest level `post show` indents: each level
// costs every line below it a few columns, so a chain a thousand deep drew
// megabytes.
// Deeper replies are drawn at this level, marked with their depth.
const maxThreadIndent = 8

// thread draws a post and its reply tree; JSON is the API's PostDetail.
func (p *printer) thread(rows []store.ThreadPost, detail store.PostDetail, parent *store.Post) error {
	if p.format == formatJSON {
		return p.JSON(detail) // parent_id names the parent
	}
	if parent != nil {
		text, _, _ := strings.Cut(store.Printable(parent.Text), "\n")
		var err error
		if p.format == formatPlain {
			_, err = fmt.Fprintf(p.w, "parent\t%d\t%s\t%s\n", parent.ID, store.Printable(parent.Username), plainField(store.Printable(parent.Text)))
		} else {
			_, err = fmt.Fprintln(p.w, ansi.Truncate(p.st.dim.Render(fmt.Sprintf("↑ in reply to %s #%d: ", store.Printable(parent.Username), parent.ID))+text, max(p.width, 20), "…"))
		}
		if err != nil {
			return err
		}
	}
	if p.format == formatPlain {
		for _, r := range rows {
			indent := strings.Repeat("  ", min(r.Depth, maxThreadIndent))
			if r.Depth > maxThreadIndent {
				indent += fmt.Sprintf("↳%d ", r.Depth)
			}
			if _, err := fmt.Fprintf(p.w, "%s%d\t%s\t%s\t%d\t%d\t%s\n", indent, r.ID, store.Printable(r.Username),
				p.ago(r.Date.Time), r.Likes, r.ReplyCount, plainField(store.Printable(r.Text))); err != nil {
				return err
			}
		}
		return nil
	}
	// Build nested trees from the depth-first rows.
	label := func(r store.ThreadPost, width int) string {
		head := fmt.Sprintf("%s %s %s", p.st.name.Render(store.Printable(r.Username)), p.st.dim.Render("· "+p.ago(r.Date.Time)+" ·"),
			p.st.id.Render(fmt.Sprintf("#%d", r.ID)))
		if r.Depth > maxThreadIndent {
			head = p.st.dim.Render(fmt.Sprintf("↳ depth %d ", r.Depth)) + head
		}
		counts := p.st.dim.Render(fmt.Sprintf("♥ %d  ↩ %d", r.Likes, r.ReplyCount))
		body := lipgloss.NewStyle().Width(max(width, 20)).Render(store.Printable(r.Text))
		return head + "  " + counts + "\n" + body
	}
	root := tree.Root(label(rows[0], p.width-2)).EnumeratorStyle(p.st.border)
	stack := []*tree.Tree{root}
	for _, r := range rows[1:] {
		depth := min(r.Depth, maxThreadIndent)
		node := tree.Root(label(r, p.width-4*depth-2)).EnumeratorStyle(p.st.border)
		stack = stack[:depth]
		stack[depth-1].Child(node)
		stack = append(stack, node)
	}
	_, err := fmt.Fprintln(p.w, root.String())
	return err
}

// more tells a terminal user how to get the next page (on stderr, so that
// stdout stays the records alone).
func (a *App) more(p *printer, flag, next string) {
	if next == "" || a.flags.quiet || p.format == formatJSON {
		return
	}
	fmt.Fprintln(p.errw, p.st.dim.Render(fmt.Sprintf("more: %s %s", flag, next)))
}

// standing is an account's status, with when and why it was suspended.
func standing(st store.Status, at *store.Timestamp, reason string) string {
	if st != store.StatusSuspended || at == nil {
		return string(st)
	}
	return fmt.Sprintf("suspended %s: %s", at.Format("2006-01-02 15:04"), reason)
}
