// Package pgidle counts what a PostgreSQL cluster runs while the clients of
// a load script sit idle (bench/streamload, bench/sshload).
package pgidle

import (
	"database/sql"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
)

// Transactions counts the transactions the cluster ran in d
// (pg_stat_database's commits and rollbacks, less this count's own two).
// It first waits out PostgreSQL's statistics, which idle backends report
// up to 10 s late: the clients' own set-up must not fall in the window.
func Transactions(uri string, d time.Duration) (int64, error) {
	db, err := sql.Open("pgx", uri)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	count := func() (int64, error) {
		var n int64
		_, _ = db.Exec("SELECT pg_stat_clear_snapshot()") // a fresh read
		err := db.QueryRow(`SELECT sum(xact_commit + xact_rollback) FROM pg_stat_database`).Scan(&n)
		return n, err
	}
	time.Sleep(11 * time.Second)
	before, err := count()
	if err != nil {
		return 0, err
	}
	time.Sleep(d + time.Second) // the window, and the statistics of its end
	after, err := count()
	if err != nil {
		return 0, err
	}
	return after - before - 2, nil
}
