package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/uptrace/bun"
)

// Progress is told how far a long task is: rows of a table done, of total.
type Progress func(table string, done, total int64)

// Dump writes the archive of every table that holds the community to w
// (docs/archive.md), read from one consistent snapshot while others keep
// writing, a row at a time: memory does not grow with the data. compress
// gzips it (a file); `pamps db copy` pipes it uncompressed. It returns
// each table's count of rows.
func (s *Store) Dump(ctx context.Context, w io.Writer, compress bool, progress Progress) (map[string]int64, error) {
	if err := s.CheckSchema(ctx); err != nil {
		return nil, err
	}
	schema, err := s.schemaVersion(ctx)
	if err != nil {
		return nil, err
	}
	out, closeOut := w, func() error { return nil }
	if compress {
		gz, _ := gzip.NewWriterLevel(w, gzip.BestSpeed) // the level is valid
		out, closeOut = gz, gz.Close
	}
	bw := bufio.NewWriterSize(out, 256<<10)
	counts := map[string]int64{}
	err = s.sql.Snapshot(ctx, func(ctx context.Context, on bun.IDB) error {
		snap := *s
		snap.db = on
		return snap.dumpTables(ctx, bw, schema, counts, progress)
	})
	if err == nil {
		err = bw.Flush()
	}
	if cerr := closeOut(); err == nil {
		err = cerr
	}
	return counts, err
}

// schemaVersion is the last migration applied.
func (s *Store) schemaVersion(ctx context.Context) (string, error) {
	list, err := s.MigrationStatus(ctx)
	if err != nil {
		return "", err
	}
	last := ""
	for _, m := range list {
		if m.Applied {
			last = m.Name
		}
	}
	return last, nil
}

func (s *Store) dumpTables(ctx context.Context, w *bufio.Writer, schema string, counts map[string]int64, progress Progress) error {
	h := ArchiveHeader{Format: ArchiveFormat, Schema: schema, Dialect: string(s.sql.Dialect), Date: Now()}
	totals := map[string]int64{}
	for _, t := range archiveTables {
		h.Tables = append(h.Tables, t.name)
		if progress != nil { // counted in the snapshot, for the bar
			var n int64
			if err := s.queryRow(ctx, []any{&n}, `SELECT count(*) FROM `+quoted(t.name)); err != nil {
				return err
			}
			totals[t.name] = n
		}
	}
	if err := writeLine(w, h); err != nil {
		return err
	}
	for _, t := range archiveTables {
		n, err := s.dumpTable(ctx, w, t, func(done int64) {
			if progress != nil {
				progress(t.name, done, totals[t.name])
			}
		})
		if err != nil {
			return err
		}
		counts[t.name] = n
	}
	return writeLine(w, archiveLine{Done: true, Counts: counts})
}

func writeLine(w *bufio.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Write(b)
	return w.WriteByte('\n')
}

// dumpTable writes one table: its columns, its rows, its count.
func (s *Store) dumpTable(ctx context.Context, w *bufio.Writer, t archiveTable, tick func(int64)) (int64, error) {
	if err := writeLine(w, archiveLine{Table: t.name, Columns: names(t.cols)}); err != nil {
		return 0, err
	}
	rows, done, err := s.rawQuery(ctx, `SELECT `+colNames(t.cols)+` FROM `+quoted(t.name)+` ORDER BY `+t.order)
	if err != nil {
		return 0, err
	}
	defer done()
	defer rows.Close()
	dest, vals := scanTargets(t.cols)
	var n int64
	line := make([]byte, 0, 1024)
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return n, err
		}
		line = appendRow(line[:0], t.cols, vals)
		if _, err := w.Write(line); err != nil {
			return n, err
		}
		if n++; n%10000 == 0 {
			tick(n)
			if err := ctx.Err(); err != nil {
				return n, err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	tick(n)
	return n, writeLine(w, archiveLine{End: t.name, Rows: n})
}

// scanned holds one row's values as scanned, by kind.
type scanned struct {
	ints  []sql.NullInt64
	texts []sql.NullString
	bools []sql.NullBool
	times []Timestamp // zero: NULL
}

func scanTargets(cs []archiveCol) ([]any, *scanned) {
	v := &scanned{ints: make([]sql.NullInt64, len(cs)), texts: make([]sql.NullString, len(cs)),
		bools: make([]sql.NullBool, len(cs)), times: make([]Timestamp, len(cs))}
	dest := make([]any, len(cs))
	for i, c := range cs {
		switch c.kind {
		case kindInt:
			dest[i] = &v.ints[i]
		case kindText:
			dest[i] = &v.texts[i]
		case kindBool:
			dest[i] = &v.bools[i]
		case kindTime:
			dest[i] = &v.times[i]
		}
	}
	return dest, v
}

// appendRow writes a row as a JSON array and a newline.
func appendRow(b []byte, cs []archiveCol, v *scanned) []byte {
	b = append(b, '[')
	for i, c := range cs {
		if i > 0 {
			b = append(b, ',')
		}
		switch {
		case c.kind == kindInt && v.ints[i].Valid:
			b = strconv.AppendInt(b, v.ints[i].Int64, 10)
		case c.kind == kindText && v.texts[i].Valid:
			s, _ := json.Marshal(v.texts[i].String) // a string always encodes
			b = append(b, s...)
		case c.kind == kindBool && v.bools[i].Valid:
			b = strconv.AppendBool(b, v.bools[i].Bool)
		case c.kind == kindTime && !v.times[i].IsZero():
			b = append(b, '"')
			b = v.times[i].UTC().AppendFormat(b, time.RFC3339Nano)
			b = append(b, '"')
		default:
			b = append(b, "null"...)
		}
	}
	return append(b, ']', '\n')
}
