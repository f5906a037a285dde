package tui

import "testing"

// TestGoneSetIsBounded: the set remembers the last goneKeep deletions and
// forgets older ones, so a long session's memory stays flat.
func TestGoneSetIsBounded(t *testing.T) {
	var g goneSet
	for id := int64(1); id <= goneKeep+10; id++ {
		g.add(id)
		g.add(id) // twice: still one place
	}
	if g.has(1) || g.has(10) {
		t.Error("the oldest deletions were kept past the bound")
	}
	if !g.has(11) || !g.has(goneKeep+10) {
		t.Error("a recent deletion was forgotten")
	}
	if len(g.ids) != goneKeep {
		t.Errorf("%d ids kept, want %d", len(g.ids), goneKeep)
	}
}
