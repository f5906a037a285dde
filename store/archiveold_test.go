package store_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestAnOlderArchiveRestores: an archive of the schema before moderation
// (no role or standing on users, no reports, invites or audit log, no
// report on notifications) restores into the current schema, the columns
// it lacks at their defaults.
func TestAnOlderArchiveRestores(t *testing.T) {
	src := storetest.SQLiteMigrated(t, store.Options{})
	community(t, src)
	var archive bytes.Buffer
	if _, err := src.Dump(ctx, &archive, false, nil); err != nil {
		t.Fatal(err)
	}
	older := olderArchive(t, archive.String(), "20261206000003",
		map[string][]string{"user": {"role", "status", "suspended_at", "suspend_reason"}, "notification": {"report_id"}},
		[]string{"report", "invite", "audit"})
	dst := storetest.Open(t, storetest.SQLiteURI(t), store.Options{})
	h, counts, err := dst.Restore(ctx, strings.NewReader(older), nil)
	if err != nil {
		t.Fatal(err)
	}
	if h.Schema != "20261206000003" || counts["post"] != int64(storetest.Count(t, src, "post")) || counts["audit"] != 0 {
		t.Fatalf("header %+v, counts %v", h, counts)
	}
	cat, err := dst.UserByName(ctx, "cat")
	if err != nil || cat.Role != store.RoleMember || cat.Status != store.StatusActive {
		t.Fatalf("cat after an older restore: %+v %v", cat, err)
	}
	if _, err := dst.Login(ctx, "test", "ann", "password1"); err != nil {
		t.Fatal(err)
	}
}

// olderArchive rewrites an archive as an older schema would have written
// it: the columns dropped from the tables named, the tables gone.
func olderArchive(t *testing.T, archive, schema string, dropCols map[string][]string, dropTables []string) string {
	t.Helper()
	var out strings.Builder
	var table string
	var keep []int
	skip := false
	for i, line := range strings.Split(strings.TrimSuffix(archive, "\n"), "\n") {
		var obj map[string]json.RawMessage
		if i == 0 {
			line = strings.Replace(line, `"schema":"`, `"schema":"`+schema+`","was":"`, 1)
		} else if json.Unmarshal([]byte(line), &obj) == nil {
			var name string
			if raw, ok := obj["table"]; ok {
				json.Unmarshal(raw, &name)
				table, skip = name, slices.Contains(dropTables, name)
				var cols []string
				json.Unmarshal(obj["columns"], &cols)
				keep = keep[:0]
				var kept []string
				for j, c := range cols {
					if !slices.Contains(dropCols[table], c) {
						keep, kept = append(keep, j), append(kept, c)
					}
				}
				b, _ := json.Marshal(map[string]any{"table": table, "columns": kept})
				line = string(b)
			}
			if raw, ok := obj["counts"]; ok {
				var counts map[string]int64
				json.Unmarshal(raw, &counts)
				for _, d := range dropTables {
					delete(counts, d)
				}
				b, _ := json.Marshal(map[string]any{"done": true, "counts": counts})
				line = string(b)
			}
		} else { // a row
			var row []json.RawMessage
			if err := json.Unmarshal([]byte(line), &row); err != nil {
				t.Fatalf("line %d: %v", i, err)
			}
			var kept []json.RawMessage
			for _, j := range keep {
				kept = append(kept, row[j])
			}
			b, _ := json.Marshal(kept)
			line = string(b)
		}
		if !skip {
			out.WriteString(line + "\n")
		}
		if _, ok := obj["end"]; ok {
			skip = false
		}
	}
	return out.String()
}

// TestRestoreRefusesCountersThatDisagree: an archive whose counters do not
// match its rows (written by hand, or by a tool that got them wrong) is
// refused with a message that says which, and nothing is restored.
func TestRestoreRefusesCountersThatDisagree(t *testing.T) {
	src := storetest.SQLiteMigrated(t, store.Options{})
	community(t, src)
	if _, err := src.DB().ExecContext(ctx, `UPDATE post SET like_count = like_count + 1 WHERE id = 1`); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if _, err := src.Dump(ctx, &archive, false, nil); err != nil {
		t.Fatal(err)
	}
	dst := storetest.Open(t, storetest.SQLiteURI(t), store.Options{})
	_, _, err := dst.Restore(ctx, &archive, nil)
	if !errors.Is(err, store.ErrRefused) || !strings.Contains(err.Error(), "post.like_count disagree") {
		t.Fatalf("a restore of wrong counters: %v", err)
	}
	if n := countOrZero(dst, "post"); n != 0 {
		t.Fatalf("%d posts left behind", n)
	}
}
