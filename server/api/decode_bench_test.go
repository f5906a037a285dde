package api

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

// BenchmarkReadBodyHostile reports the bytes allocated to read a 1 MiB body
// of each shape that costs a decoder the most for its size: compare B/op
// with the 1,048,576 bytes of the body (go test -bench ReadBodyHostile
// -benchmem ./server). Decoding into `any` took 54.7 MB for empty objects.
func BenchmarkReadBodyHostile(b *testing.B) {
	const size = 1 << 20
	fill := func(head, unit, tail string) string {
		return head + strings.Repeat(unit, (size-len(head)-len(tail))/len(unit)) + tail
	}
	var many strings.Builder
	many.WriteString("{")
	for i := 0; many.Len() < size-20; i++ {
		fmt.Fprintf(&many, `"k%d":0,`, i)
	}
	many.WriteString(`"z":0}`)
	shapes := []struct{ name, body string }{
		{"empty-objects", fill(`{"a":[`, `{},`, `{}]}`)},
		{"small-numbers", fill(`{"a":[`, `1,`, `1]}`)},
		{"many-keys", many.String()},
		{"deep-nesting", strings.Repeat(`[`, size/2) + strings.Repeat(`]`, size/2)},
		{"long-string", fill(`{"email":"`, `x`, `"}`)},
		{"surrogate-escapes", fill(`{"email":"`, `\ud83d\ude00`, `"}`)},
	}
	for _, sh := range shapes {
		b.Run(sh.name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(sh.body)))
			for b.Loop() {
				r := httptest.NewRequest("POST", "/user/", strings.NewReader(sh.body))
				r.Header.Set("Content-Type", "application/json")
				_, _ = readBody(r, "email", "username", "password", "avatar", "bio")
			}
		})
	}
}
