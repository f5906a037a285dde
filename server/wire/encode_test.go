package wire

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
)

func samplePost(id int64, text, username string, parent *int64, at time.Time) store.Post {
	return store.Post{ID: id, Text: text, Date: store.Timestamp{Time: at}, UserID: id * 3, ParentID: parent,
		Username: username, Likes: id % 7, ReplyCount: id % 5, Liked: id%2 == 0}
}

// TestEncodeMatchesEncodingJSON checks the hand-written post encoder against
// encoding/json, byte for byte, on text that needs every kind of escape.
func TestEncodeMatchesEncodingJSON(t *testing.T) {
	parent := int64(41)
	zone := time.FixedZone("x", -5*3600)
	texts := []string{"", "plain", `quote " and \ backslash`, "tab\tnew\nline\r\x00\x1f", "<b>&amp;</b>", "héllo wörld ✓ 🎉",
		"line\u2028sep\u2029", "bad utf8 \xff\xfe end", "emoji at end 🙂", string(make([]byte, 300))}
	var posts []store.Post
	for i, text := range texts {
		at := time.Date(2026, 11, 27, 5, 15, 56, i*123457000, zone)
		var p *int64
		if i%2 == 1 {
			p = &parent
		}
		posts = append(posts, samplePost(int64(i+1), text, texts[(i+3)%len(texts)], p, at))
	}
	posts = append(posts, samplePost(-9, "negative id", "n", nil, time.Time{}))
	values := []any{posts, []store.Post{}, []store.Post(nil), posts[3],
		store.PostDetail{Post: posts[1], Replies: posts[2:5]}, store.PostDetail{Post: posts[0], Replies: []store.Post{}}}
	for i, v := range values {
		want, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		got, err := Encode(v)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("value %d:\n got %s\nwant %s", i, got, want)
		}
	}
}

func FuzzEncodePost(f *testing.F) {
	f.Add(int64(1), "hello", "ann", int64(0), int64(1700000000123456))
	f.Add(int64(-3), "<&>\u2028\xff", "é", int64(7), int64(-1))
	f.Fuzz(func(t *testing.T, id int64, text, username string, parent, micros int64) {
		var pp *int64
		if parent != 0 {
			pp = &parent
		}
		p := samplePost(id, text, username, pp, time.UnixMicro(micros))
		want, _ := json.Marshal(p)
		got, _ := Encode(p)
		if string(got) != string(want) {
			t.Fatalf("got %s\nwant %s", got, want)
		}
	})
}
