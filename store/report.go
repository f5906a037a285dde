package store

import (
	"context"
	"errors"
	"strconv"
)

// Reports (docs/API.md §3d): a member reports a post or an account to the
// moderators, who are notified (type report) and resolve it.

// The reasons a report may give.
var reportReasons = []string{"spam", "abuse", "illegal", "other"}

// ReportReasons lists them, for pickers.
func ReportReasons() []string { return append([]string(nil), reportReasons...) }

// The actions that resolve a report.
const (
	ResolveNone       = "none"
	ResolveDeletePost = "delete_post"
	ResolveSuspend    = "suspend"
)

// NewReport is a member's report: of a post (PostID) or of an account
// (UserID), exactly one.
type NewReport struct {
	PostID  *int64
	UserID  *int64
	Reason  string
	Comment string
}

// Report is a report as moderators see it. A member reading their own
// (MyReports) does not see who resolved it or their note.
type Report struct {
	ID         int64      `json:"id"`
	Date       Timestamp  `json:"date"`
	State      string     `json:"state"` // open, resolved
	Reason     string     `json:"reason"`
	Comment    string     `json:"comment"`
	ReporterID *int64     `json:"reporter_id"`
	Reporter   string     `json:"reporter"`
	UserID     *int64     `json:"user_id"` // the account reported, or the post's author
	Username   string     `json:"username"`
	PostID     *int64     `json:"post_id"`   // nil for an account's report, or once the post is gone
	PostText   *string    `json:"post_text"` // the post's text when it was reported
	Action     *string    `json:"action"`
	Note       *string    `json:"note"`
	ResolvedBy *string    `json:"resolved_by"`
	ResolvedAt *Timestamp `json:"resolved_at"`
}

// Refusals of reports.
var (
	ErrReportSelf     = &RefusedError{Msg: "You cannot report yourself"}
	ErrReportResolved = &ConflictError{Msg: "Report already resolved"}
	ErrPostGone       = &RefusedError{Msg: "The reported post is already gone"}
	ErrNotAPostReport = &RefusedError{Msg: "This report is not of a post"}
)

// checkReport validates a report's fields, trimming the comment.
func checkReport(in *NewReport) error {
	var errs []*ValidationError
	if (in.PostID == nil) == (in.UserID == nil) {
		errs = append(errs, invalid("post_id", "value_error.missing", "give exactly one of post_id and user_id"))
	}
	ok := false
	for _, r := range reportReasons {
		ok = ok || in.Reason == r
	}
	if !ok {
		errs = append(errs, invalid("reason", "type_error.enum", "must be one of spam, abuse, illegal, other"))
	}
	comment, verr := ValidReason("comment", in.Comment, false)
	in.Comment = comment
	return collect(append(errs, verr)...)
}

// CreateReport files reporterID's report, limited per member
// (Limits.Report), and notifies every active moderator and admin in the
// same transaction. A post or an account the reporter cannot see is not
// found; a report of oneself is refused.
func (s *Store) CreateReport(ctx context.Context, reporterID int64, in NewReport) (Report, error) {
	if err := checkReport(&in); err != nil {
		return Report{}, err
	}
	if err := s.mayAct(ctx, reporterID); err != nil {
		return Report{}, err
	}
	release, wait, ok := s.gate.reports.Take(ctx, "user:"+strconv.FormatInt(reporterID, 10))
	if !ok {
		return Report{}, limited(wait, false)
	}
	var id int64
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		var err error
		id, err = tx.insertReport(ctx, reporterID, in)
		return err
	})
	if err != nil {
		if IsClientError(err) {
			release()
		}
		return Report{}, err
	}
	return s.report(ctx, id)
}

func (s *Store) insertReport(ctx context.Context, reporterID int64, in NewReport) (int64, error) {
	var (
		target   User
		postText *string
		err      error
	)
	if in.PostID != nil {
		var p Post
		if p, err = s.GetPost(ctx, *in.PostID, reporterID); err != nil {
			return 0, err
		}
		postText = &p.Text
		target, err = s.UserByID(ctx, p.UserID)
	} else {
		target, err = s.queryUser(ctx, s.as(ctx, reporterID).opened(), "", nil, "WHERE u.id = ?", *in.UserID)
	}
	if err != nil {
		return 0, err
	}
	if target.ID == reporterID {
		return 0, ErrReportSelf
	}
	var id int64
	err = s.queryRow(ctx, []any{&id}, `INSERT INTO report (reporter_id, user_id, username, post_id, post_text, reason, comment, date)
VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`, reporterID, target.ID, target.Username, in.PostID, postText, in.Reason, in.Comment, s.timeArg(Now()))
	if err != nil {
		return 0, err
	}
	return id, s.notifyStaff(ctx, NotifyReport, reporterID, in.PostID, &id)
}

// notifyStaff notifies every active moderator and admin but the actor,
// as the rule of who may notify whom allows.
func (s *Store) notifyStaff(ctx context.Context, t NotificationType, actorID int64, postID, reportID *int64) error {
	actor := strconv.FormatInt(actorID, 10)
	_, err := s.db.ExecContext(ctx, `INSERT INTO notification (user_id, type, actor_id, post_id, date, report_id)
SELECT st.id, `+strconv.Itoa(t.code())+`, `+actor+`, ?, ?, ? FROM "user" AS st
WHERE st.role <> 'member' AND st.status = 'active' AND `+mayNotify("st.id", actor), postID, s.timeArg(Now()), reportID)
	return err
}

// ResolveReport closes an open report with an action — none, delete_post
// (a post's report) or suspend (the account reported, or the post's
// author) — and a note, in one transaction with the action and their rows
// in the audit log: an action refused leaves the report open.
func (s *Store) ResolveReport(ctx context.Context, by Actor, id int64, action, note string) (Report, error) {
	note, verr := ValidReason("note", note, false)
	if verr != nil {
		return Report{}, verr
	}
	switch action {
	case ResolveNone, ResolveDeletePost, ResolveSuspend:
	default:
		return Report{}, invalid("action", "type_error.enum", "must be one of none, delete_post, suspend")
	}
	err := s.InTx(ctx, func(ctx context.Context, tx *Store) error {
		who, err := tx.staff(ctx, by)
		if err != nil {
			return err
		}
		r, err := tx.report(ctx, id)
		switch {
		case err != nil:
			return err
		case r.State != "open":
			return ErrReportResolved
		}
		why := "report " + strconv.FormatInt(r.ID, 10) + " (" + r.Reason + ")"
		if note != "" {
			why += ": " + note
		}
		if err := tx.resolveWith(ctx, by, r, action, why); err != nil {
			return err
		}
		if _, err := tx.db.ExecContext(ctx, `UPDATE report SET state = 'resolved', action = ?, note = ?, resolved_by = ?, resolved_at = ? WHERE id = ?`,
			action, note, who.name, s.timeArg(Now()), r.ID); err != nil {
			return err
		}
		return tx.audit(ctx, who, AuditResolveReport, &r.ID, "report "+strconv.FormatInt(r.ID, 10)+" of "+r.Username, action+orNote(note))
	})
	s.standingChanged()
	if err != nil {
		return Report{}, err
	}
	return s.report(ctx, id)
}

// resolveWith takes a resolution's action on the report's post or account.
func (s *Store) resolveWith(ctx context.Context, by Actor, r Report, action, why string) error {
	switch action {
	case ResolveDeletePost:
		if r.PostText == nil {
			return ErrNotAPostReport
		}
		if r.PostID == nil {
			return ErrPostGone
		}
		err := s.deletePost(ctx, by, *r.PostID, why)
		if errors.Is(err, ErrPostNotFound) {
			return ErrPostGone
		}
		return err
	case ResolveSuspend:
		if r.UserID == nil {
			return ErrUserNotFound
		}
		return s.suspend(ctx, by, *r.UserID, why)
	}
	return nil
}

func orNote(note string) string {
	if note == "" {
		return ""
	}
	return ": " + note
}
