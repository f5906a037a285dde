package store

import (
	"database/sql/driver"
	"fmt"
	"time"
)

// Timestamp is a UTC instant with microsecond precision; it renders as
// RFC 3339 ("2026-11-27T05:15:56.123456Z") on both databases and in JSON.
type Timestamp struct{ time.Time }

// Now is the current instant, truncated to what both databases store.
func Now() Timestamp { return Timestamp{time.Now().UTC().Truncate(time.Microsecond)} }

// TimestampLayout is the JSON and text form of a Timestamp.
const TimestampLayout = "2006-01-02T15:04:05.000000Z07:00"

// MarshalJSON writes the RFC 3339 form with exactly six fractional digits.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	return []byte(`"` + t.UTC().Format(TimestampLayout) + `"`), nil
}

// UnmarshalJSON reads RFC 3339.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return fmt.Errorf("timestamp: expected a JSON string")
	}
	tm, err := time.Parse(time.RFC3339Nano, string(b[1:len(b)-1]))
	if err != nil {
		return err
	}
	t.Time = tm.UTC()
	return nil
}

// String is the RFC 3339 form.
func (t Timestamp) String() string { return t.UTC().Format(TimestampLayout) }

// Value stores the instant as a time.Time in UTC.
func (t Timestamp) Value() (driver.Value, error) { return t.UTC(), nil }

// sqliteLayouts are the text forms SQLite may hand back.
var sqliteLayouts = []string{
	"2006-01-02 15:04:05.999999999-07:00",
	"2006-01-02 15:04:05.999999999Z07:00",
	"2006-01-02T15:04:05.999999999Z07:00",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
}

// Scan reads time.Time (PostgreSQL, SQLite with a typed column) or text.
func (t *Timestamp) Scan(src any) error {
	switch v := src.(type) {
	case time.Time:
		t.Time = v.UTC()
		return nil
	case string:
		return t.parse(v)
	case []byte:
		return t.parse(string(v))
	case nil:
		t.Time = time.Time{}
		return nil
	}
	return fmt.Errorf("timestamp: cannot scan %T", src)
}

func (t *Timestamp) parse(s string) error {
	for _, layout := range sqliteLayouts {
		if tm, err := time.Parse(layout, s); err == nil {
			t.Time = tm.UTC()
			return nil
		}
	}
	return fmt.Errorf("timestamp: cannot parse %q", s)
}

func timestampFromMicros(us int64) Timestamp { return Timestamp{time.UnixMicro(us).UTC()} }

// SQLiteTime writes an instant exactly as bun does, so text order is time
// order (for statements that bypass bun: timeArg, bulk loads).
func SQLiteTime(t time.Time) any { return t.UTC().Format("2006-01-02 15:04:05.999999-07:00") }
