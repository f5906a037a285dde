package sqldb

import (
	"fmt"
	"testing"
)

func TestRebinderNumbersPlaceholdersAndStaysBounded(t *testing.T) {
	var r rebinder
	if got := r.of("SELECT ? WHERE a = ? LIMIT 5"); got != "SELECT $1 WHERE a = $2 LIMIT 5" {
		t.Fatalf("rebound %q", got)
	}
	for i := range rebinderMax + 500 {
		q := fmt.Sprintf("SELECT ? LIMIT %d", i)
		if got, want := r.of(q), fmt.Sprintf("SELECT $1 LIMIT %d", i); got != want {
			t.Fatalf("%q rebound %q", q, got)
		}
	}
	kept := 0
	r.m.Range(func(any, any) bool { kept++; return true })
	if kept > rebinderMax {
		t.Fatalf("%d statements kept, bound %d", kept, rebinderMax)
	}
}
