package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// Restore reads an archive (Dump's) into this database, which must hold no
// community yet (ErrNotEmpty; nothing is changed): it migrates the schema,
// then writes every table in one transaction, with the triggers that count
// and announce held off, continues the ids after the highest restored,
// checks what it wrote (each table's count, every counter against its
// rows) and starts a new event horizon: streams open on this database get
// `reset`. An archive of an older schema fills the columns it lacks with
// their defaults; one of a newer schema than this pamps knows is refused.
func (s *Store) Restore(ctx context.Context, r io.Reader, progress Progress) (ArchiveHeader, map[string]int64, error) {
	in, err := archiveReader(r)
	if err != nil {
		return ArchiveHeader{}, nil, err
	}
	var h ArchiveHeader
	if err := in.next(&h); err != nil || h.Format == 0 {
		return h, nil, &RefusedError{Msg: "not a Pamps archive (its first line is not an archive header)"}
	}
	if h.Format > ArchiveFormat {
		return h, nil, &RefusedError{Msg: fmt.Sprintf("the archive's format %d is newer than this pamps reads (%d)", h.Format, ArchiveFormat)}
	}
	if latest := s.latestMigration(); h.Schema > latest {
		return h, nil, &RefusedError{Msg: fmt.Sprintf("the archive's schema (%s) is newer than this pamps knows (%s): restore it with a newer pamps", h.Schema, latest)}
	}
	if err := s.mustBeEmpty(ctx); err != nil {
		return h, nil, err
	}
	if _, err := s.Migrate(ctx); err != nil {
		return h, nil, err
	}
	counts := map[string]int64{}
	load := s.restoreSQLite
	if s.sql.Dialect == Postgres {
		load = s.restorePostgres
	}
	if err := load(ctx, in, counts, progress); err != nil {
		return h, nil, err
	}
	s.standingChanged()
	return h, counts, nil
}

// ErrNotEmpty refuses a restore into a database that holds a community.
var ErrNotEmpty = &RefusedError{Msg: "the database is not empty: restore into an empty one (pamps db reset empties it)"}

// mustBeEmpty refuses a database with a row in any table an archive fills
// (a table not made yet is empty).
func (s *Store) mustBeEmpty(ctx context.Context) error {
	for _, t := range archiveTables {
		var has bool
		err := s.queryRow(ctx, []any{&has}, `SELECT EXISTS (SELECT 1 FROM `+quoted(t.name)+`)`)
		if err != nil && s.tableMissing(ctx, t.name) {
			continue
		}
		if err != nil {
			return err
		}
		if has {
			return ErrNotEmpty
		}
	}
	return nil
}

// tableMissing reports whether table does not exist (yet).
func (s *Store) tableMissing(ctx context.Context, table string) bool {
	q := `SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`
	if s.sql.Dialect == SQLite {
		q = `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?`
	}
	var n int
	return s.queryRow(ctx, []any{&n}, q, table) == nil && n == 0
}

// latestMigration is the name of the last embedded migration.
func (s *Store) latestMigration() string {
	ms, err := s.migrations()
	if err != nil {
		return ""
	}
	last := ""
	for _, m := range ms.Sorted() {
		last = max(last, m.Name)
	}
	return last
}

// archiveIn reads an archive's lines.
type archiveIn struct {
	sc *bufio.Scanner
}

// maxArchiveLine bounds a line (a row): far above any the store writes.
const maxArchiveLine = 16 << 20

func archiveReader(r io.Reader) (*archiveIn, error) {
	br := bufio.NewReaderSize(r, 256<<10)
	var src io.Reader = br
	if magic, err := br.Peek(2); err == nil && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, &RefusedError{Msg: "not a Pamps archive: " + err.Error()}
		}
		src = gz
	}
	sc := bufio.NewScanner(src)
	sc.Buffer(make([]byte, 64<<10), maxArchiveLine)
	return &archiveIn{sc: sc}, nil
}

// errCutShort is an archive that ends before its last line.
var errCutShort = &RefusedError{Msg: "the archive is cut short (no closing line): nothing was restored"}

func (in *archiveIn) line() ([]byte, error) {
	if !in.sc.Scan() {
		if err := in.sc.Err(); err != nil {
			return nil, &RefusedError{Msg: "the archive cannot be read: " + err.Error()}
		}
		return nil, errCutShort
	}
	return in.sc.Bytes(), nil
}

func (in *archiveIn) next(v any) error {
	b, err := in.line()
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

// section is one table of the archive as a restore writes it: the columns
// this schema has, in the archive's order, and a source of rows.
type section struct {
	table archiveTable
	cols  []archiveCol // the archive's columns this table has
	pick  []int        // each one's place in an archive row
}

// eachSection hands each table of the archive to load, which writes its
// rows and says how many, until the closing line (whose counts it checks).
func (in *archiveIn) eachSection(counts map[string]int64, load func(sec *section) (int64, error)) error {
	for {
		sec, err := in.nextSection(counts)
		if err != nil || sec == nil {
			return err
		}
		if counts[sec.table.name], err = load(sec); err != nil {
			return err
		}
	}
}

// nextSection reads the line that begins a table, or the closing line
// (nil, with the archive's counts checked against counts).
func (in *archiveIn) nextSection(counts map[string]int64) (*section, error) {
	var l archiveLine
	b, err := in.line()
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(b, &l); err != nil {
		return nil, &RefusedError{Msg: "the archive is damaged: " + err.Error()}
	}
	switch {
	case l.Done:
		for name, n := range l.Counts {
			if counts[name] != n {
				return nil, &RefusedError{Msg: fmt.Sprintf("table %s: the archive says %d rows, %d were read", name, n, counts[name])}
			}
		}
		return nil, nil
	case l.Table == "":
		return nil, &RefusedError{Msg: "the archive is damaged: a table was expected"}
	}
	t, ok := archiveTableNamed(l.Table)
	if !ok {
		return nil, &RefusedError{Msg: "the archive has a table this pamps does not know: " + l.Table}
	}
	sec := &section{table: t}
	for i, name := range l.Columns {
		found := false
		for _, c := range t.cols {
			if c.name == name {
				sec.cols, sec.pick, found = append(sec.cols, c), append(sec.pick, i), true
			}
		}
		if !found {
			return nil, &RefusedError{Msg: fmt.Sprintf("the archive's table %s has a column this pamps does not know: %s", l.Table, name)}
		}
	}
	return sec, nil
}

// row reads the section's next row into vals (the values a driver takes:
// int64, string, bool, time.Time, nil); done at the table's end line,
// whose count it checks.
func (in *archiveIn) row(sec *section, n int64, vals []any, sqlite bool) (done bool, err error) {
	b, err := in.line()
	if err != nil {
		return false, err
	}
	if len(b) > 0 && b[0] == '{' {
		var l archiveLine
		if err := json.Unmarshal(b, &l); err != nil || l.End != sec.table.name {
			return false, &RefusedError{Msg: "the archive is damaged in table " + sec.table.name}
		}
		if l.Rows != n {
			return false, &RefusedError{Msg: fmt.Sprintf("table %s: the archive says %d rows, %d were read", sec.table.name, l.Rows, n)}
		}
		return true, nil
	}
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return false, &RefusedError{Msg: fmt.Sprintf("the archive is damaged in table %s, row %d: %v", sec.table.name, n+1, err)}
	}
	for i, c := range sec.cols {
		if sec.pick[i] >= len(raw) {
			return false, &RefusedError{Msg: fmt.Sprintf("the archive is damaged in table %s, row %d: too few values", sec.table.name, n+1)}
		}
		v, err := decodeValue(c.kind, raw[sec.pick[i]], sqlite)
		if err != nil {
			return false, &RefusedError{Msg: fmt.Sprintf("the archive is damaged in table %s, row %d, column %s: %v", sec.table.name, n+1, c.name, err)}
		}
		vals[i] = v
	}
	return false, nil
}

func decodeValue(k colKind, raw json.RawMessage, sqlite bool) (any, error) {
	if string(raw) == "null" {
		return nil, nil
	}
	switch k {
	case kindInt:
		return strconv.ParseInt(string(raw), 10, 64)
	case kindBool:
		var b bool
		err := json.Unmarshal(raw, &b)
		return b, err
	case kindTime:
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		t, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			return nil, err
		}
		if sqlite {
			return SQLiteTime(t), nil
		}
		return t.UTC(), nil
	}
	var s string
	err := json.Unmarshal(raw, &s)
	return s, err
}

// colNames lists columns for SQL.
func colNames(cs []archiveCol) string { return strings.Join(names(cs), ", ") }

func names(cs []archiveCol) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.name
	}
	return out
}
