package tui

import (
	"strings"
	"testing"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestReportFromTheTUI: ! on a post picks a reason with ↓, takes a
// comment, and files the report; on a profile it reports the account; a
// member has no reports view.
func TestReportFromTheTUI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		_, bob, cat := world(t, st)
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "2")
		press(t, m, "!") // the selected post: cat's, the newest
		if v := view(m); !strings.Contains(v, "Report post #2") || !strings.Contains(v, "› spam") {
			t.Fatalf("the report form:\n%s", v)
		}
		press(t, m, "down")
		typeText(t, m, "rude")
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "Reported (report #1)") {
			t.Fatalf("after sending:\n%s", v)
		}
		page, err := st.Reports(ctx, store.AsOperator("test"), "open", "", 0)
		if err != nil || len(page.Items) != 1 || page.Items[0].Reason != "abuse" || page.Items[0].Comment != "rude" || *page.Items[0].UserID != cat.ID {
			t.Fatalf("reports %+v %v", page.Items, err)
		}
		drive(t, m, m.push(newProfile(m, "bob"))())
		press(t, m, "!", "enter")
		if page, _ := st.Reports(ctx, store.AsOperator("test"), "open", "", 0); len(page.Items) != 2 || page.Items[0].PostID != nil || *page.Items[0].UserID != bob.ID {
			t.Fatalf("the account's report: %+v", page.Items)
		}
		press(t, m, "esc", "M")
		if v := view(m); !strings.Contains(v, "Only moderators see the reports") {
			t.Fatalf("a member's M:\n%s", v)
		}
	})
}

// TestModeratorResolvesAndSuspendsFromTheTUI: a moderator opens the
// reports (M), sees the reported post, deletes it with a note; suspends and
// lifts a suspension from a profile, with its reason; the audit log has it
// all.
func TestModeratorResolvesAndSuspendsFromTheTUI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ann, bob, cat := world(t, st)
		if _, err := st.SetRole(ctx, store.AsOperator("test"), ann.ID, store.RoleModerator); err != nil {
			t.Fatal(err)
		}
		bad := storetest.MustPost(t, st, cat.ID, "buy pills here", 0)
		if _, err := st.CreateReport(ctx, bob.ID, store.NewReport{PostID: &bad.ID, Reason: "spam", Comment: "pills"}); err != nil {
			t.Fatal(err)
		}
		m := newTestModel(st, "ann")
		drive(t, m, m.Init()())
		press(t, m, "M")
		if v := view(m); !strings.Contains(v, "#1") || !strings.Contains(v, "buy pills here") {
			t.Fatalf("the queue:\n%s", v)
		}
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "bob reported cat") || !strings.Contains(v, "“pills”") || !strings.Contains(v, "d delete post") {
			t.Fatalf("the report:\n%s", v)
		}
		press(t, m, "d")
		typeText(t, m, "spam link")
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "Resolved report #1 (delete_post)") || !strings.Contains(v, "No open reports") {
			t.Fatalf("after resolving:\n%s", v)
		}
		if _, err := st.GetPost(ctx, bad.ID, store.OperatorView); err == nil {
			t.Fatal("the post stayed")
		}
		press(t, m, "esc")
		drive(t, m, m.push(newProfile(m, "cat"))())
		press(t, m, "S", "enter")
		if v := view(m); !strings.Contains(v, "A reason is required") {
			t.Fatalf("a suspension without a reason:\n%s", v)
		}
		typeText(t, m, "repeat spam")
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "Suspended cat") || !strings.Contains(v, "suspended: repeat spam") {
			t.Fatalf("after suspending:\n%s", v)
		}
		if u, _ := st.UserByID(ctx, cat.ID); u.Status != store.StatusSuspended {
			t.Fatalf("cat is %s", u.Status)
		}
		press(t, m, "S", "enter")
		if u, _ := st.UserByID(ctx, cat.ID); u.Status != store.StatusActive {
			t.Fatalf("cat is still %s", u.Status)
		}
		drive(t, m, m.push(newProfile(m, "bob"))())
		if _, err := st.SetRole(ctx, store.AsOperator("test"), bob.ID, store.RoleAdmin); err != nil {
			t.Fatal(err)
		}
		press(t, m, "R", "S")
		typeText(t, m, "no")
		press(t, m, "enter")
		if v := view(m); !strings.Contains(v, "Not allowed") {
			t.Fatalf("a moderator suspends an admin:\n%s", v)
		}
		log, err := st.AuditLog(ctx, store.AsOperator("test"), "", 0)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, e := range log.Items {
			if e.Actor == "ann" {
				got = append(got, e.Action)
			}
		}
		if strings.Join(got, " ") != "unsuspend suspend resolve_report delete_post" {
			t.Fatalf("ann's audit rows: %v", got)
		}
	})
}
