package tui

import (
	"context"
	"testing"

	"github.com/pamps/pamps/store"
)

// TestAPostArrivingWhileTheListLoadsIsKept: a post committed after a list's
// first page was read, whose event comes before the page, is shown once the
// page is; one the page holds already is not shown twice; an edit and a
// deletion that come meanwhile are made to the page too.
func TestAPostArrivingWhileTheListLoadsIsKept(t *testing.T) {
	m := New(Options{})
	old := store.Post{ID: 1, Text: "old"}
	l := newPostList("Everyone", nil, func(context.Context, string, int) (store.Page[store.Post], error) {
		return store.Page[store.Post]{Items: []store.Post{old}}, nil
	})
	load := l.load(m, false)
	l.arrive(store.Post{ID: 2, Text: "new"})
	l.apply(load().(pageMsg))
	if len(l.items) != 2 || l.items[0].ID != 2 || l.items[1].ID != 1 {
		t.Fatalf("after the page: %+v, want the new post first, then the old", l.items)
	}
	load = l.load(m, false)
	l.arrive(old)
	l.apply(load().(pageMsg))
	if len(l.items) != 1 || len(l.waiting) != 0 {
		t.Fatalf("a post the page holds came twice: items %+v, waiting %+v", l.items, l.waiting)
	}
	load = l.load(m, false)
	l.edit(old.ID, func(p *store.Post) { p.Text = "edited" })
	l.apply(load().(pageMsg))
	if l.items[0].Text != "edited" {
		t.Fatalf("an edit during the load was lost: %+v", l.items)
	}
	load = l.load(m, false)
	l.remove(old.ID)
	l.apply(load().(pageMsg))
	if len(l.items) != 0 {
		t.Fatalf("a deletion during the load was lost: %+v", l.items)
	}
}
