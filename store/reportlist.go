package store

import (
	"context"
	"database/sql"
	"strings"
)

// Reading reports: the moderators' queue, one report, a member's own.

// reportSQL selects a report with its reporter's current name.
const reportSQL = `SELECT r.id, r.date, r.state, r.reason, r.comment, r.reporter_id, coalesce(ru.username, ''), r.user_id,
coalesce(tu.username, r.username), r.post_id, r.post_text, r.action, r.note, r.resolved_by, r.resolved_at
FROM report AS r LEFT JOIN "user" AS ru ON ru.id = r.reporter_id LEFT JOIN "user" AS tu ON tu.id = r.user_id `

func (s *Store) reports(ctx context.Context, rest string, args ...any) ([]Report, error) {
	rows, done, err := s.rawQuery(ctx, reportSQL+rest, args...)
	if err != nil {
		return nil, err
	}
	defer done()
	defer rows.Close()
	out := []Report{}
	for rows.Next() {
		var (
			r                              Report
			reporter, user, post           sql.NullInt64
			text, action, note, resolvedBy sql.NullString
			resolvedAt                     Timestamp
		)
		if err := rows.Scan(&r.ID, &r.Date, &r.State, &r.Reason, &r.Comment, &reporter, &r.Reporter, &user, &r.Username,
			&post, &text, &action, &note, &resolvedBy, &resolvedAt); err != nil {
			return nil, err
		}
		r.ReporterID, r.UserID, r.PostID = nullID(reporter), nullID(user), nullID(post)
		r.PostText, r.Action, r.Note, r.ResolvedBy = nullText(text), nullText(action), nullText(note), nullText(resolvedBy)
		if !resolvedAt.IsZero() {
			r.ResolvedAt = &resolvedAt
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

func nullID(v sql.NullInt64) *int64 {
	if !v.Valid {
		return nil
	}
	return &v.Int64
}

func nullText(v sql.NullString) *string {
	if !v.Valid {
		return nil
	}
	return &v.String
}

func (s *Store) report(ctx context.Context, id int64) (Report, error) {
	rs, err := s.reports(ctx, "WHERE r.id = ?", id)
	if err == nil && len(rs) == 0 {
		err = ErrReportNotFound
	}
	if err != nil {
		return Report{}, err
	}
	return rs[0], nil
}

// ParseReportState reads a list's state filter: open, resolved, or all
// ("" is open).
func ParseReportState(s string) (string, error) {
	switch v := strings.ToLower(strings.TrimSpace(s)); v {
	case "", "open":
		return "open", nil
	case "resolved", "all":
		return v, nil
	}
	return "", invalid("state", "type_error.enum", "must be open, resolved or all")
}

// Reports lists reports in a state (ParseReportState), newest first, for
// staff.
func (s *Store) Reports(ctx context.Context, by Actor, state, cursor string, limit int) (Page[Report], error) {
	state, err := ParseReportState(state)
	if err != nil {
		return Page[Report]{}, err
	}
	if _, err := s.staff(ctx, by); err != nil {
		return Page[Report]{}, err
	}
	where, args := "WHERE r.state = ?", []any{state}
	if state == "all" {
		where, args = "WHERE TRUE", nil
	}
	return s.reportPage(ctx, where, args, cursor, limit)
}

// MyReports lists the reports reporterID filed, newest first, without
// who resolved them or their note.
func (s *Store) MyReports(ctx context.Context, reporterID int64, cursor string, limit int) (Page[Report], error) {
	page, err := s.reportPage(ctx, "WHERE r.reporter_id = ?", []any{reporterID}, cursor, limit)
	for i := range page.Items {
		page.Items[i].Note, page.Items[i].ResolvedBy = nil, nil
	}
	return page, err
}

func (s *Store) reportPage(ctx context.Context, where string, args []any, cursor string, limit int) (Page[Report], error) {
	limit, err := checkLimit(limit)
	if err != nil {
		return Page[Report]{}, err
	}
	before, err := parseIDCursor(cursor)
	if err != nil {
		return Page[Report]{}, err
	}
	if before > 0 {
		where, args = where+" AND r.id < ?", append(args, before)
	}
	rs, err := s.reports(ctx, where+" ORDER BY r.id DESC LIMIT "+limitSQL(limit), args...)
	if err != nil {
		return Page[Report]{}, err
	}
	return trim(rs, limit, func(r Report) string { return idCursor(r.ID) }), nil
}

// ReportByID is one report, for staff.
func (s *Store) ReportByID(ctx context.Context, by Actor, id int64) (Report, error) {
	if _, err := s.staff(ctx, by); err != nil {
		return Report{}, err
	}
	return s.report(ctx, id)
}
