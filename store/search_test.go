package store_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

func searchTexts(t *testing.T, s *store.Store, o store.PostSearch) string {
	t.Helper()
	page, err := s.SearchPosts(ctx, o)
	if err != nil {
		t.Fatalf("%q: %v", o.Query, err)
	}
	var out []string
	for _, p := range page.Items {
		out = append(out, p.Text)
	}
	return strings.Join(out, " | ")
}

func TestSearchPosts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		for _, text := range []string{"Coffee in the morning", "the café opens", "cafe closed", "morning rain, no coffee", "rain again"} {
			storetest.MustPost(t, s, ann.ID, text, 0)
		}
		storetest.MustPost(t, s, bob.ID, "bob's coffee", 0)
		for q, want := range map[string]string{
			"coffee":             "bob's coffee | morning rain, no coffee | Coffee in the morning",
			"COFFEE morning":     "morning rain, no coffee | Coffee in the morning",
			"café":               "the café opens",
			"cafe":               "cafe closed",
			`"in the morning"`:   "Coffee in the morning",
			`"the morning in"`:   "",
			"coffee -rain":       "bob's coffee | Coffee in the morning",
			"-coffee -café":      "rain again | cafe closed",
			`"coffee`:            "bob's coffee | morning rain, no coffee | Coffee in the morning",
			"rain | (again) & !": "rain again",
			"!no":                "morning rain, no coffee",
			"coffee:* OR rain":   "", // "or" is a word too: no post holds it
			`" " - ''`:           "",
		} {
			if got := searchTexts(t, s, store.PostSearch{Query: q}); got != want {
				t.Errorf("%q:\n got %q\nwant %q", q, got, want)
			}
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "coffee", From: "BOB"}); got != "bob's coffee" {
			t.Errorf("from bob: %q", got)
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "coffee", From: "nobody"}); got != "" {
			t.Errorf("from nobody: %q", got)
		}
		for _, bad := range []string{"", "   ", strings.Repeat("a", store.MaxSearchLen+1)} {
			var ve *store.ValidationError
			if _, err := s.SearchPosts(ctx, store.PostSearch{Query: bad}); !errors.As(err, &ve) {
				t.Errorf("%q: %v, want a validation error", bad, err)
			}
		}
		if _, err := s.SearchPosts(ctx, store.PostSearch{Query: strings.Repeat("é", store.MaxSearchLen)}); err != nil {
			t.Errorf("200 characters (400 bytes): %v", err)
		}
	})
}

func TestSearchFollowsWritesAndTheViewer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann := storetest.MustUser(t, s, "ann")
		bob := storetest.MustUser(t, s, "bob")
		cat := storetest.MustUser(t, s, "cat")
		p := storetest.MustPost(t, s, ann.ID, "first words", 0)
		storetest.MustPost(t, s, bob.ID, "bob words", 0)
		storetest.MustPost(t, s, cat.ID, "cat words", 0)
		if _, err := s.UpdatePost(ctx, store.Actor{UserID: ann.ID}, p.ID, "edited text"); err != nil {
			t.Fatal(err)
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "first"}); got != "" {
			t.Errorf("the old text is still found: %q", got)
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "edited"}); got != "edited text" {
			t.Errorf("the new text is not found: %q", got)
		}
		if err := s.DeletePost(ctx, store.Actor{UserID: ann.ID}, p.ID); err != nil {
			t.Fatal(err)
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "edited"}); got != "" {
			t.Errorf("a deleted post is found: %q", got)
		}
		mustDo(t, func() error { _, _, err := s.Block(ctx, ann.ID, bob.ID); return err })
		mustDo(t, func() error { _, _, err := s.Mute(ctx, ann.ID, cat.ID, false); return err })
		if got := searchTexts(t, s, store.PostSearch{Query: "words", Viewer: ann.ID}); got != "" {
			t.Errorf("ann finds whom she hides: %q", got)
		}
		if got := searchTexts(t, s, store.PostSearch{Query: "words", Viewer: bob.ID}); got != "cat words | bob words" {
			t.Errorf("bob finds %q", got)
		}
		// Paged newest first, each post once.
		for i := range 5 {
			storetest.MustPost(t, s, cat.ID, fmt.Sprintf("paged %d", i), 0)
		}
		var seen []string
		cursor := ""
		for {
			page, err := s.SearchPosts(ctx, store.PostSearch{Query: "paged", Cursor: cursor, Limit: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range page.Items {
				seen = append(seen, p.Text)
			}
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if fmt.Sprint(seen) != "[paged 4 paged 3 paged 2 paged 1 paged 0]" {
			t.Errorf("paged: %v", seen)
		}
	})
}

func TestSearchUsers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, u := range []struct{ name, bio string }{
			{"Annie", "bakes bread"}, {"ann", ""}, {"bob", "Loves ANN's bread and coffee"}, {"cat", "coffee only"}, {"dan_", "50% off"},
		} {
			v := storetest.MustUser(t, s, u.name)
			if u.bio != "" {
				bio := u.bio
				if _, err := s.UpdateUser(ctx, v.ID, store.UserPatch{Bio: &bio}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for q, want := range map[string]string{
			"ann":          "[ann Annie bob]",
			"AN":           "[ann Annie bob]", // bob's bio holds "an", as text
			"bread":        "[Annie bob]",
			"coffee bread": "[bob]",
			"dan_":         "[dan_]",
			"d%":           "[Annie bob]", // "%" is matched as itself: the bios holding "d"
			"zz%":          "[]",
			"50%":          "[dan_]",
		} {
			page, err := s.SearchUsers(ctx, q, 0, "", 0)
			if err != nil || names(page.Items) != want {
				t.Errorf("%q: %v %s, want %s", q, err, names(page.Items), want)
			}
		}
		// Page by page across the two parts.
		var all []store.User
		cursor := ""
		for {
			page, err := s.SearchUsers(ctx, "ann", 0, cursor, 1)
			if err != nil {
				t.Fatal(err)
			}
			all = append(all, page.Items...)
			if cursor = page.Next; cursor == "" {
				break
			}
		}
		if names(all) != "[ann Annie bob]" {
			t.Errorf("paged: %s", names(all))
		}
		ann, _ := s.UserByName(ctx, "ann")
		bob, _ := s.UserByName(ctx, "bob")
		mustDo(t, func() error { _, _, err := s.Block(ctx, bob.ID, ann.ID); return err })
		if page, _ := s.SearchUsers(ctx, "ann", ann.ID, "", 0); names(page.Items) != "[ann Annie]" {
			t.Errorf("ann finds who blocked her: %s", names(page.Items))
		}
	})
}
