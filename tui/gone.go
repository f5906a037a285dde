package tui

// goneSet remembers the posts deleted lately, so that the live stream's
// late "post" event of one (held back behind another transaction, or from
// before the stream's start) does not bring it back until its deletion
// arrives. It keeps the last goneKeep ids.
type goneSet struct {
	ids  map[int64]struct{}
	ring []int64
	next int
}

const goneKeep = 1024

func (g *goneSet) add(id int64) {
	if g.ids == nil {
		g.ids, g.ring = map[int64]struct{}{}, make([]int64, goneKeep)
	}
	if _, ok := g.ids[id]; ok {
		return
	}
	if old := g.ring[g.next]; old != 0 {
		delete(g.ids, old)
	}
	g.ring[g.next], g.next = id, (g.next+1)%goneKeep
	g.ids[id] = struct{}{}
}

func (g *goneSet) has(id int64) bool {
	_, ok := g.ids[id]
	return ok
}
