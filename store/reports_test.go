package store_test

import (
	"errors"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pamps/pamps/store"
	"github.com/pamps/pamps/store/storetest"
)

// TestReportsReachModeratorsAndResolve: a report notifies every active
// moderator and admin (not a member), keeps the post's text after the post
// is gone, and resolving it takes its action with its audit rows, once.
func TestReportsReachModeratorsAndResolve(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ann, mo, bob, cat := staffOf(t, s)
		bad := storetest.MustPost(t, s, cat.ID, "buy cheap pills", 0)
		p := &bad.ID
		invalid := []store.NewReport{
			{Reason: "spam"}, // neither
			{PostID: p, UserID: &cat.ID, Reason: "spam"}, // both
			{PostID: p, Reason: "boring"},                // not a reason
			{PostID: p, Reason: "spam", Comment: string(make([]rune, store.MaxReasonLen+1))},
		}
		for _, in := range invalid {
			if _, err := s.CreateReport(ctx, bob.ID, in); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("%+v: %v", in, err)
			}
		}
		if _, err := s.CreateReport(ctx, cat.ID, store.NewReport{PostID: p, Reason: "spam"}); !errors.Is(err, store.ErrReportSelf) {
			t.Errorf("a report of one's own post: %v", err)
		}
		if n := storetest.Count(t, s, "report"); n != 0 {
			t.Fatalf("%d reports after refusals", n)
		}
		r, err := s.CreateReport(ctx, bob.ID, store.NewReport{PostID: p, Reason: "spam", Comment: " pills again "})
		if err != nil {
			t.Fatal(err)
		}
		if r.State != "open" || r.Username != "cat" || r.PostText == nil || *r.PostText != "buy cheap pills" || r.Comment != "pills again" || r.Reporter != "bob" {
			t.Fatalf("report %+v", r)
		}
		for _, u := range []store.User{ann, mo} {
			ns, err := s.Notifications(ctx, u.ID, store.NotificationFilter{Types: []store.NotificationType{store.NotifyReport}}, "", 0)
			if err != nil || len(ns.Items) != 1 || ns.Items[0].ReportID == nil || *ns.Items[0].ReportID != r.ID || ns.Items[0].Actor.Username != "bob" {
				t.Fatalf("%s's report notifications: %+v %v", u.Username, ns.Items, err)
			}
		}
		if ns, _ := s.Notifications(ctx, cat.ID, store.NotificationFilter{}, "", 0); len(ns.Items) != 0 {
			t.Fatalf("a member was notified of a report: %+v", ns.Items)
		}
		if _, err := s.Reports(ctx, store.AsUser(bob.ID), "open", "", 0); !errors.Is(err, store.ErrNotAllowed) {
			t.Fatalf("a member lists reports: %v", err)
		}
		// The post goes; the report keeps its text, and delete_post is refused.
		if err := s.DeletePost(ctx, store.AsUser(cat.ID), bad.ID); err != nil {
			t.Fatal(err)
		}
		got, err := s.ReportByID(ctx, store.AsUser(mo.ID), r.ID)
		if err != nil || got.PostID != nil || got.PostText == nil || *got.PostText != "buy cheap pills" {
			t.Fatalf("after the post went: %+v %v", got, err)
		}
		if _, err := s.ResolveReport(ctx, store.AsUser(mo.ID), r.ID, store.ResolveDeletePost, ""); !errors.Is(err, store.ErrPostGone) {
			t.Fatalf("delete_post of a gone post: %v", err)
		}
		done, err := s.ResolveReport(ctx, store.AsUser(mo.ID), r.ID, store.ResolveSuspend, "repeat offender")
		if err != nil || done.State != "resolved" || *done.Action != "suspend" || *done.ResolvedBy != "mo" {
			t.Fatalf("resolve: %+v %v", done, err)
		}
		if u, _ := s.UserByID(ctx, cat.ID); u.Status != store.StatusSuspended {
			t.Fatalf("cat is %s", u.Status)
		}
		if _, err := s.ResolveReport(ctx, store.AsUser(mo.ID), r.ID, store.ResolveNone, ""); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("resolved twice: %v", err)
		}
		if a := auditActions(t, s); a[0] != "mo resolve_report report 1 of cat" || a[1] != "mo suspend cat" {
			t.Fatalf("audit %q", a)
		}
		mine, err := s.MyReports(ctx, bob.ID, "", 0)
		if err != nil || len(mine.Items) != 1 || mine.Items[0].Note != nil || mine.Items[0].ResolvedBy != nil || mine.Items[0].State != "resolved" {
			t.Fatalf("bob's reports: %+v %v", mine.Items, err)
		}
		// A post's report resolved by deleting it, by a moderator.
		spam := storetest.MustPost(t, s, bob.ID, "spam spam", 0)
		r2, err := s.CreateReport(ctx, ann.ID, store.NewReport{PostID: &spam.ID, Reason: "spam"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.ResolveReport(ctx, store.AsUser(mo.ID), r2.ID, store.ResolveDeletePost, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetPost(ctx, spam.ID, store.OperatorView); !errors.Is(err, store.ErrPostNotFound) {
			t.Fatalf("the post stays: %v", err)
		}
		if a := auditActions(t, s); a[1] != "mo delete_post post "+strconv.FormatInt(spam.ID, 10)+" by bob: spam spam" {
			t.Fatalf("audit %q", a)
		}
	})
}

// TestReportsAreLimitedPerMember: past the limit a report is refused and
// writes nothing; another member still reports.
func TestReportsAreLimitedPerMember(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		s = s.WithLimits(store.Limits{Report: store.Rate{N: 2, Per: time.Hour}})
		_, _, bob, cat := staffOf(t, s)
		dan := storetest.MustUser(t, s, "dan")
		for i := 0; i < 2; i++ {
			if _, err := s.CreateReport(ctx, bob.ID, store.NewReport{UserID: &cat.ID, Reason: "abuse"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.CreateReport(ctx, bob.ID, store.NewReport{UserID: &cat.ID, Reason: "abuse"}); !errors.Is(err, store.ErrLimited) {
			t.Fatalf("third report: %v", err)
		}
		if n := storetest.Count(t, s, "report"); n != 2 {
			t.Fatalf("%d reports", n)
		}
		if _, err := s.CreateReport(ctx, dan.ID, store.NewReport{UserID: &cat.ID, Reason: "abuse"}); err != nil {
			t.Fatalf("another member: %v", err)
		}
	})
}

// TestTheAuditLogIsAppendOnly: the database itself refuses to change or
// delete a row of the audit log.
func TestTheAuditLogIsAppendOnly(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		_, mo, bob, _ := staffOf(t, s)
		if _, err := s.Suspend(ctx, store.AsUser(mo.ID), bob.ID, "spam"); err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{`UPDATE audit SET reason = 'nothing'`, `DELETE FROM audit`} {
			if _, err := s.DB().ExecContext(ctx, q); err == nil {
				t.Errorf("%s succeeded", q)
			}
		}
		if n := storetest.Count(t, s, "audit"); n != 3 { // two roles, one suspension
			t.Fatalf("%d audit rows", n)
		}
	})
}

// TestRegistrationModes: closed refuses, approval holds the account pending
// (and tells the moderators) until approved, invite spends a code's use.
func TestRegistrationModes(t *testing.T) {
	storetest.Each(t, func(t *testing.T, base *store.Store) {
		_, mo, _, _ := staffOf(t, base)
		signUp := func(s *store.Store, name, code string) (store.User, error) {
			return s.SignUp(ctx, "test", store.NewUser{Email: name + "@example.com", Username: name, Password: "password1", Invite: code})
		}
		if _, err := signUp(base.WithRegistration(store.RegistrationClosed), "eve", ""); !errors.Is(err, store.ErrRegistrationClosed) {
			t.Fatalf("closed: %v", err)
		}
		if _, err := base.CreateUser(ctx, store.NewUser{Email: "op@example.com", Username: "op", Password: "password1"}); err != nil {
			t.Fatalf("the operator's adduser: %v", err)
		}
		approval := base.WithRegistration(store.RegistrationApproval)
		eve, err := signUp(approval, "eve", "")
		if err != nil || eve.Status != store.StatusPending {
			t.Fatalf("approval: %+v %v", eve, err)
		}
		if _, err := base.Login(ctx, "test", "eve", "password1"); !errors.Is(err, store.ErrPending) {
			t.Fatalf("pending login: %v", err)
		}
		ns, err := base.Notifications(ctx, mo.ID, store.NotificationFilter{Types: []store.NotificationType{store.NotifySignup}}, "", 0)
		if err != nil || len(ns.Items) != 1 || ns.Items[0].Actor.Username != "eve" {
			t.Fatalf("signup notifications: %+v %v", ns.Items, err)
		}
		if _, err := base.UserSeenBy(ctx, "eve", 0); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a pending profile is public: %v", err)
		}
		if _, err := base.Approve(ctx, store.AsUser(mo.ID), eve.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := base.Login(ctx, "test", "eve", "password1"); err != nil {
			t.Fatalf("approved login: %v", err)
		}
		invite := base.WithRegistration(store.RegistrationInvite)
		inv, err := base.CreateInvite(ctx, store.AsUser(mo.ID), 1, time.Hour)
		if err != nil || len(inv.Code) < 20 {
			t.Fatalf("invite %+v %v", inv, err)
		}
		for _, code := range []string{"", "nope", inv.Code + "x"} {
			if _, err := signUp(invite, "fay", code); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("code %q: %v", code, err)
			}
		}
		if _, err := signUp(invite, "fay", inv.Code); err != nil {
			t.Fatalf("a good code: %v", err)
		}
		if _, err := signUp(invite, "gus", inv.Code); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("a used-up code: %v", err)
		}
		revoked, _ := base.CreateInvite(ctx, store.AsOperator("root"), 5, 0)
		if err := base.RevokeInvite(ctx, store.AsOperator("root"), revoked.Code); err != nil {
			t.Fatal(err)
		}
		if _, err := signUp(invite, "gus", revoked.Code); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("a revoked code: %v", err)
		}
		expiring, _ := base.CreateInvite(ctx, store.AsOperator("root"), 5, time.Nanosecond)
		if _, err := signUp(invite, "gus", expiring.Code); !errors.Is(err, store.ErrInvalid) {
			t.Fatalf("an expired code: %v", err)
		}
		if _, err := base.UserByName(ctx, "gus"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("a refused sign-up left an account: %v", err)
		}
	})
}

// TestTwoSignUpsRaceForTheLastUse: of many sign-ups at once with a code
// good for one more, exactly one gets an account.
func TestTwoSignUpsRaceForTheLastUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		inv, err := s.CreateInvite(ctx, store.AsOperator("root"), 1, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		s = s.WithRegistration(store.RegistrationInvite)
		const n = 8
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				name := "racer" + strconv.Itoa(i)
				_, errs[i] = s.SignUp(ctx, "addr"+name, store.NewUser{Email: name + "@example.com", Username: name, Password: "password1", Invite: inv.Code})
			})
		}
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch {
			case err == nil:
				won++
			case !errors.Is(err, store.ErrInvalid):
				t.Errorf("a loser's error: %v", err)
			}
		}
		if won != 1 || storetest.Count(t, s, `"user"`) != 1 {
			t.Fatalf("%d won, %d accounts", won, storetest.Count(t, s, `"user"`))
		}
	})
}
