package sqldb

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/pamps/pamps/store/storetest/eventually"

	"github.com/uptrace/bun"
)

// TestTurnsAreTakenAndGivenBack: a statement on the pool waits for a turn
// (one per connection), leaves when its context ends, and gives its turn
// back whatever its outcome; bun's statements wait too, and a transaction
// waits once, its statements then needing none. storetest cannot be
// imported from here (it imports store, which imports this), hence its own
// choice of databases.
func TestTurnsAreTakenAndGivenBack(t *testing.T) {
	uris := map[string]string{"sqlite": "sqlite:" + filepath.Join(t.TempDir(), "turns.db")}
	if u := os.Getenv("PAMPS_TEST_DATABASE_URL"); u != "" {
		uris["postgres"] = u
	} else if os.Getenv("CI") == "true" {
		t.Fatal("PAMPS_TEST_DATABASE_URL is not set: PostgreSQL tests cannot run")
	}
	ctx := context.Background()
	for name, uri := range uris {
		t.Run(name, func(t *testing.T) {
			s, err := Open(ctx, Options{URI: uri, MaxOpenConns: 2})
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			var one int
			if err := queryRow(ctx, s, s.Bun, &one, "SELECT 1"); err != nil || one != 1 {
				t.Fatalf("SELECT 1: %v %d", err, one)
			}
			if err := queryRow(ctx, s, s.Bun, &one, "SELECT no_such_column"); err == nil {
				t.Fatal("a bad statement ran")
			}
			if n := len(s.turns); n != 0 {
				t.Fatalf("%d turns kept after two statements", n)
			}

			endA, _ := s.turn(ctx)
			endB, _ := s.turn(ctx)
			// With every turn held a statement must wait: it is seen
			// waiting (Waiting), then cancelled, or let through.
			waiting, cancel := context.WithCancel(ctx)
			errc := make(chan error, 1)
			go func() { errc <- queryRow(waiting, s, s.Bun, &one, "SELECT 1") }()
			waits := func(n int) func() bool { return func() bool { return s.Waiting() == n } }
			eventually.True(t, 0, waits(1), "the statement did not wait for a turn")
			cancel()
			if err := <-errc; !errors.Is(err, context.Canceled) {
				t.Fatalf("a statement without a turn: %v, want context.Canceled", err)
			}
			go func() { errc <- queryRow(ctx, s, s.Bun, &one, "SELECT 1") }()
			eventually.True(t, 0, waits(1), "the statement did not wait for a turn")
			select {
			case err := <-errc:
				t.Fatalf("a statement ran while every turn was held: %v", err)
			default:
			}
			// A statement bun builds waits too (turnHook), and so does a
			// transaction, once for all its statements.
			bunc := make(chan error, 1)
			go func() {
				_, err := s.Bun.NewSelect().ColumnExpr("1").Exec(ctx)
				bunc <- err
			}()
			txc := make(chan error, 1)
			go func() {
				txc <- s.RunInTx(ctx, s.Bun, func(ctx context.Context, tx bun.Tx) error {
					var one int
					if err := queryRow(ctx, s, tx, &one, "SELECT 1"); err != nil {
						return err
					}
					_, err := tx.NewSelect().ColumnExpr("1").Exec(ctx)
					return err
				})
			}()
			eventually.True(t, 0, waits(3), "the bun statement and the transaction did not wait for a turn")
			select {
			case err := <-bunc:
				t.Fatalf("a bun statement ran while every turn was held: %v", err)
			case err := <-txc:
				t.Fatalf("a transaction ran while every turn was held: %v", err)
			default:
			}
			endA()
			endB()
			for name, c := range map[string]chan error{"the waiting statement": errc, "the bun statement": bunc, "the transaction": txc} {
				if err := <-c; err != nil {
					t.Fatalf("%s, once turns were free: %v", name, err)
				}
			}
			if n := len(s.turns); n != 0 {
				t.Fatalf("%d turns kept at the end", n)
			}
		})
	}
}

// queryRow runs a one-value statement through QueryRow.
func queryRow(ctx context.Context, db *DB, on bun.IDB, dest any, query string) error {
	return db.QueryRow(ctx, on, []any{dest}, query)
}
