package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Limits on one page of any list.
const (
	DefaultLimit = 100
	MaxLimit     = 1000
)

// Page is one page of a list, in the list's order. Next is the cursor of the
// following page, empty on the last one.
type Page[T any] struct {
	Items []T
	Next  string
}

// checkLimit applies the default and refuses values out of 1..MaxLimit.
func checkLimit(limit int) (int, error) {
	if limit == 0 {
		return DefaultLimit, nil
	}
	if limit < 1 || limit > MaxLimit {
		return 0, invalid("limit", "value_error.number.not_in_range", "must be between 1 and %d", MaxLimit)
	}
	return limit, nil
}

// trim cuts the extra row fetched to learn whether another page exists and
// returns the cursor for it.
func trim[T any](items []T, limit int, cursor func(T) string) Page[T] {
	if len(items) > limit {
		items = items[:limit]
		return Page[T]{Items: items, Next: cursor(items[len(items)-1])}
	}
	if items == nil {
		items = []T{}
	}
	return Page[T]{Items: items}
}

// idCursor is the cursor of lists ordered by one id.
func idCursor(id int64) string { return strconv.FormatInt(id, 10) }

func parseIDCursor(c string) (int64, error) {
	if c == "" {
		return 0, nil
	}
	id, err := strconv.ParseInt(c, 10, 64)
	if err != nil || id < 0 {
		return 0, invalid("cursor", "value_error.cursor", "is not a cursor this list gave out")
	}
	return id, nil
}

// timeCursor is the cursor of lists ordered by (date, id), newest first.
func timeCursor(t Timestamp, id int64) string {
	return fmt.Sprintf("%d_%d", t.UnixMicro(), id)
}

func parseTimeCursor(c string) (at Timestamp, id int64, ok bool, err error) {
	if c == "" {
		return Timestamp{}, 0, false, nil
	}
	a, b, found := strings.Cut(c, "_")
	micros, err1 := strconv.ParseInt(a, 10, 64)
	id, err2 := strconv.ParseInt(b, 10, 64)
	// Both databases store years 1 to 9999; a value outside could only be
	// made up, and PostgreSQL would fail on it.
	if !found || err1 != nil || err2 != nil || id < 0 || micros < minCursorMicros || micros > maxCursorMicros {
		return Timestamp{}, 0, false, invalid("cursor", "value_error.cursor", "is not a cursor this list gave out")
	}
	return timestampFromMicros(micros), id, true, nil
}

// The instants a time cursor may name: 0001-01-01 to 9999-12-31 UTC.
var (
	minCursorMicros = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).UnixMicro()
	maxCursorMicros = time.Date(9999, 12, 31, 23, 59, 59, 999999000, time.UTC).UnixMicro()
)

// limitSQL is the LIMIT of a page: one row more than asked, to learn whether
// another page follows. It is written into the statement, not bound, so that
// the planner of a cached statement knows the page is small (a bound LIMIT is
// planned as a tenth of the table); limit was checked, so each list has at
// most MaxLimit shapes.
func limitSQL(limit int) string { return strconv.Itoa(limit + 1) }
