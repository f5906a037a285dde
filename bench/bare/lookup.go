package main

import (
	"database/sql"
	"math/rand/v2"
	"net/http"
	"runtime"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
)

// lookup serves the least a Go endpoint can do with the database here, on
// pgbench's own table: GET /row reads one random account by primary key,
// GET /page 51 consecutive ones, through database/sql and pgx as pamps does
// (cached prepared statements, a pool of max(4, CPUs)), and answers them as
// JSON written by hand. No logging, no middleware, no authors or counts:
// the ratio of these to `pgbench -S` bounds what any endpoint of the same
// shape can reach on this machine.
func lookup(addr, uri string) error {
	cfg, err := pgx.ParseConfig(uri)
	if err != nil {
		return err
	}
	db := stdlib.OpenDB(*cfg)
	n := max(4, runtime.NumCPU())
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	var accounts int
	if err := db.QueryRow("SELECT max(aid) FROM pgbench_accounts").Scan(&accounts); err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /row", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.QueryContext(r.Context(), "SELECT aid, bid, abalance, filler FROM pgbench_accounts WHERE aid = $1",
			pgx.QueryExecModeCacheStatement, rand.IntN(accounts)+1)
		answer(w, rows, err)
	})
	mux.HandleFunc("GET /page", func(w http.ResponseWriter, r *http.Request) {
		rows, err := db.QueryContext(r.Context(), "SELECT aid, bid, abalance, filler FROM pgbench_accounts WHERE aid >= $1 ORDER BY aid LIMIT 51",
			pgx.QueryExecModeCacheStatement, rand.IntN(max(1, accounts-50))+1)
		answer(w, rows, err)
	})
	return http.ListenAndServe(addr, mux)
}

// answer writes the accounts as a JSON array (one object for a single row).
func answer(w http.ResponseWriter, rows *sql.Rows, err error) {
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer rows.Close()
	body := make([]byte, 0, 512)
	n := 0
	for rows.Next() {
		var aid, bid, balance int64
		var filler string
		if err := rows.Scan(&aid, &bid, &balance, &filler); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		if n++; n > 1 {
			body = append(body, ',')
		}
		body = strconv.AppendInt(append(body, `{"aid":`...), aid, 10)
		body = strconv.AppendInt(append(body, `,"bid":`...), bid, 10)
		body = strconv.AppendInt(append(body, `,"abalance":`...), balance, 10)
		body = append(strconv.AppendQuote(append(body, `,"filler":`...), filler), '}') // ASCII: Go's quoting is JSON's
	}
	if n != 1 {
		body = append(append([]byte{'['}, body...), ']')
	}
	if err := rows.Err(); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	_, _ = w.Write(body)
}
