package store

import (
	"context"
	"database/sql"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Printable is s as a terminal may be shown it: control characters (C0 but
// newline and tab, DEL, C1) and bidirectional overrides are written out as
// escapes (\x1b, \u202e) instead of reaching the terminal, where they could
// clear the screen, set the window title, write the clipboard (OSC 52) or
// reorder the text around them. Pamps refuses such text on input, but an
// adopted database may hold it. Both the CLI and the TUI print stored text
// through this.
func Printable(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b.WriteString(`\x`)
			b.WriteString(strconv.FormatUint(uint64(s[i]), 16))
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0):
			b.WriteString(`\x`)
			if r < 0x10 {
				b.WriteByte('0')
			}
			b.WriteString(strconv.FormatUint(uint64(r), 16))
		case bidiControl(r):
			b.WriteString(`\u`)
			b.WriteString(strconv.FormatUint(uint64(r), 16))
		default:
			b.WriteRune(r)
		}
		i += size
	}
	return b.String()
}

func needsEscape(s string) bool {
	for _, r := range s {
		if r == utf8.RuneError || (unicode.IsControl(r) && r != '\n' && r != '\t') || bidiControl(r) {
			return true
		}
	}
	return false
}

// bidiControl reports the embedding, override and isolate controls, which
// reorder what follows them on the line.
func bidiControl(r rune) bool {
	return (r >= 0x202a && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069)
}

// UnprintableRows lists the users and posts whose stored text holds control
// characters (newline and tab aside) or bidirectional overrides: Pamps
// refuses them on input, but an adopted database may have them. Front ends
// show such text through Printable; `pamps db migrate` reports the rows.
func (s *Store) UnprintableRows(ctx context.Context) (users, posts []int64, err error) {
	// The characters Printable escapes, but for the invalid UTF-8 that
	// neither database stores in text.
	var class string
	if s.sql.Dialect == Postgres {
		class = `'[\x01-\x08\x0b-\x1f\x7f\u0080-\u009f\u202a-\u202e\u2066-\u2069]'`
	}
	for _, q := range []struct {
		table, cols string
		into        *[]int64
	}{{`"user"`, "username || ' ' || email || ' ' || coalesce(bio, '') || ' ' || coalesce(avatar, '')", &users}, {"post", "text", &posts}} {
		var rows *sql.Rows
		if s.sql.Dialect == Postgres {
			rows, err = s.sql.Bun.QueryContext(ctx, `SELECT id FROM `+q.table+` WHERE (`+q.cols+`) ~ E`+class+` ORDER BY id`)
		} else {
			rows, err = s.sql.Bun.QueryContext(ctx, `SELECT id, `+q.cols+` FROM `+q.table+` ORDER BY id`)
		}
		if err != nil {
			return nil, nil, err
		}
		for rows.Next() {
			var id int64
			var text string
			dest := []any{&id}
			if s.sql.Dialect == SQLite { // no regular expressions: look in Go
				dest = append(dest, &text)
			}
			if err := rows.Scan(dest...); err != nil {
				rows.Close()
				return nil, nil, err
			}
			if s.sql.Dialect == Postgres || needsEscape(text) {
				*q.into = append(*q.into, id)
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, nil, err
		}
	}
	return users, posts, nil
}

// Sentence gives a message the one style every front end writes:
// sentence case ("Text must not be empty", as "User not found"; the
// store's field errors begin with the field's name). A message that
// begins with a command (pamps ...) or a flag is left as it is.
func Sentence(msg string) string {
	r, size := utf8.DecodeRuneInString(msg)
	if !unicode.IsLower(r) || strings.HasPrefix(msg, "pamps ") {
		return msg
	}
	return string(unicode.ToUpper(r)) + msg[size:]
}
