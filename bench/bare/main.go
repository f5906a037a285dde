// Command bare is the load test's ceilings: `bare serve ADDR` answers every
// request with a small JSON body (the best any handler here can do), `bare
// lookup ADDR URI` the least an endpoint can do with the database (see
// lookup), `bare detail ADDR URI POSTS` the least GET /post/{id}/ can do
// with pamps' own statement (see detail), and `bare bcrypt COST` prints the
// seconds one bcrypt hash takes.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"time"

	"golang.org/x/crypto/bcrypt"
)

func main() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: bare serve ADDR | bare lookup ADDR URI | bare detail ADDR URI POSTS | bare bcrypt COST")
		os.Exit(2)
	}
	switch os.Args[1] {
	case "serve":
		body := []byte(`{"status":"ok"}` + "\n")
		err := http.ListenAndServe(os.Args[2], http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			w.Write(body)
		}))
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	case "lookup":
		if len(os.Args) < 4 {
			fmt.Fprintln(os.Stderr, "usage: bare lookup ADDR URI")
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, lookup(os.Args[2], os.Args[3]))
		os.Exit(1)
	case "detail":
		posts := 0
		if len(os.Args) > 4 {
			posts, _ = strconv.Atoi(os.Args[4])
		}
		if posts < 1 {
			fmt.Fprintln(os.Stderr, "usage: bare detail ADDR URI POSTS")
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, detail(os.Args[2], os.Args[3], posts))
		os.Exit(1)
	case "bcrypt":
		cost, _ := strconv.Atoi(os.Args[2])
		hash, _ := bcrypt.GenerateFromPassword([]byte("bench-password"), cost)
		const n = 5
		start := time.Now()
		for range n {
			bcrypt.CompareHashAndPassword(hash, []byte("bench-password"))
		}
		fmt.Printf("%.6f\n", time.Since(start).Seconds()/n)
	}
}
