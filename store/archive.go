package store

import (
	"strings"
)

// The archive (docs/archive.md): what `pamps db dump` writes and `pamps db
// restore` reads, on either database. A gzip stream of JSON lines: a
// header, then each table as a line naming its columns, its rows as JSON
// arrays in that order, and a line with its count; a last line closes it,
// so that a file cut short is refused rather than half restored.

// ArchiveFormat is the archive's format version.
const ArchiveFormat = 1

// ArchiveHeader is an archive's first line.
type ArchiveHeader struct {
	Format  int       `json:"pamps_archive"`
	Schema  string    `json:"schema"`  // the last migration of the source
	Dialect string    `json:"dialect"` // the source's database
	Date    Timestamp `json:"date"`
	Tables  []string  `json:"tables"`
}

// archiveLine is every line after the header; one of its fields is set.
type archiveLine struct {
	Table   string           `json:"table,omitempty"`   // a table begins: its columns follow
	Columns []string         `json:"columns,omitempty"` //
	End     string           `json:"end,omitempty"`     // a table ends, with its count
	Rows    int64            `json:"rows,omitempty"`    //
	Done    bool             `json:"done,omitempty"`    // the archive ends, with every count
	Counts  map[string]int64 `json:"counts,omitempty"`  //
}

// colKind is how a column's values are written: the same on both databases.
type colKind byte

const (
	kindInt  colKind = 'i' // a JSON number
	kindText colKind = 't' // a JSON string
	kindBool colKind = 'b' // true or false
	kindTime colKind = 'T' // an RFC 3339 string in UTC, microseconds
)

// archiveTable is one table the archive carries: every table that holds
// the community (not the live events' outbox, the rate limits or the
// search index, which are derived or passing).
type archiveTable struct {
	name  string
	order string // the key it is read in: parents before replies
	cols  []archiveCol
	// serial: its id continues after a restore (a PostgreSQL sequence;
	// SQLite's AUTOINCREMENT follows the ids inserted).
	serial bool
}

type archiveCol struct {
	name string
	kind colKind
}

// cols reads "name:kind name:kind".
func cols(spec string) []archiveCol {
	var out []archiveCol
	for _, f := range strings.Fields(spec) {
		name, kind, _ := strings.Cut(f, ":")
		out = append(out, archiveCol{name: name, kind: colKind(kind[0])})
	}
	return out
}

// archiveTables are the tables in the order a restore inserts them (each
// after those it refers to).
var archiveTables = []archiveTable{
	{name: "user", order: "id", serial: true, cols: cols(`id:i email:t email_key:t username:t avatar:t bio:t password:t
		follower_count:i following_count:i tokens_after:i notifications_read:i role:t status:t suspended_at:T suspend_reason:t`)},
	{name: "post", order: "id", serial: true, cols: cols(`id:i text:t date:T user_id:i parent_id:i like_count:i reply_count:i`)},
	{name: "follow", order: "from_id, to_id", cols: cols(`from_id:i to_id:i date:T`)},
	{name: "like", order: "user_id, post_id", cols: cols(`user_id:i post_id:i date:T`)},
	{name: "block", order: "from_id, to_id", cols: cols(`from_id:i to_id:i date:T`)},
	{name: "mute", order: "from_id, to_id", cols: cols(`from_id:i to_id:i date:T notifications:b`)},
	{name: "ssh_key", order: "id", serial: true, cols: cols(`id:i user_id:i fingerprint:t public_key:t comment:t created:T`)},
	{name: "refresh_token", order: "jti", cols: cols(`jti:t user_id:i expires_at:i used:b`)},
	{name: "report", order: "id", serial: true, cols: cols(`id:i reporter_id:i user_id:i username:t post_id:i post_text:t reason:t
		comment:t date:T state:t action:t note:t resolved_by:t resolved_at:T`)},
	{name: "notification", order: "id", serial: true, cols: cols(`id:i user_id:i type:i actor_id:i post_id:i date:T report_id:i`)},
	{name: "invite", order: "id", serial: true, cols: cols(`id:i code:t created_by:t created_at:T expires_at:T max_uses:i uses:i revoked_at:T`)},
	{name: "audit", order: "id", serial: true, cols: cols(`id:i date:T actor_id:i actor:t action:t target_id:i target:t reason:t`)},
}

// quoted is a table's name as SQL writes it ("user" and "like" are words).
func quoted(table string) string { return `"` + table + `"` }

// archiveTableNamed is the table of that name, if the archive knows it.
func archiveTableNamed(name string) (archiveTable, bool) {
	for _, t := range archiveTables {
		if t.name == name {
			return t, true
		}
	}
	return archiveTable{}, false
}
