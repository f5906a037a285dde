package api

import (
	"reflect"

	"github.com/pamps/pamps/store"
)

// schemas are the document's components: the API's shapes.
func schemas() obj {
	o := coreSchemas()
	for _, more := range []obj{moderationSchemas(), memberDataSchemas()} {
		for k, v := range more {
			o[k] = v
		}
	}
	return o
}

// moderationSchemas are the document's components of reports and
// moderation (docs/API.md §3d).
func moderationSchemas() obj {
	reason := obj{"type": "string", "maxLength": store.MaxReasonLen}
	return obj{
		"Report":     shapeSchema("Report", reflect.TypeFor[store.Report]()),
		"Account":    shapeSchema("Account", reflect.TypeFor[store.Account]()),
		"Invite":     shapeSchema("Invite", reflect.TypeFor[store.Invite]()),
		"AuditEntry": shapeSchema("AuditEntry", reflect.TypeFor[store.AuditEntry]()),
		"ReportCreate": props([]string{"reason"}, obj{
			"post_id": obj{"type": []string{"integer", "null"}, "format": "int64", "description": "the post reported; give it or user_id"},
			"user_id": obj{"type": []string{"integer", "null"}, "format": "int64", "description": "the account reported; give it or post_id"},
			"reason":  obj{"type": "string", "enum": store.ReportReasons()},
			"comment": obj{"type": []string{"string", "null"}, "maxLength": store.MaxReasonLen},
		}),
		"ReportResolve": props([]string{"action"}, obj{
			"action": obj{"type": "string", "enum": []string{store.ResolveNone, store.ResolveDeletePost, store.ResolveSuspend},
				"description": "delete_post deletes the reported post; suspend suspends the account reported (or the post's author)"},
			"note": obj{"type": []string{"string", "null"}, "maxLength": store.MaxReasonLen},
		}),
		"SuspendRequest":   props([]string{"reason"}, obj{"reason": reason}),
		"UnsuspendRequest": props(nil, obj{"reason": reason}),
		"RoleChange":       props([]string{"role"}, obj{"role": obj{"type": "string", "enum": store.Roles()}}),
		"InviteCreate": props(nil, obj{
			"uses":       obj{"type": "integer", "minimum": 1, "maximum": store.MaxInviteUses, "default": 1, "description": "how many sign-ups it admits"},
			"expires_in": obj{"type": "integer", "minimum": 0, "maximum": int64(store.MaxInviteExpiry.Seconds()), "default": int64(store.DefaultInviteTTL.Seconds()), "description": "seconds until it expires; 0: never"},
		}),
	}
}

// moderationNotes describe the fields of moderationSchemas' shapes.
var moderationNotes = map[string]string{
	"Me.role":                "member, moderator or admin",
	"Account.status":         "active, pending (waits for approval) or suspended",
	"Report.post_text":       "the reported post's text when it was reported: kept after the post is deleted",
	"Report.post_id":         "null for an account's report, and once the post is deleted",
	"Report.user_id":         "the account reported, or the post's author",
	"AuditEntry.actor":       "the member who acted, or cli:<OS user> for the operator's CLI",
	"AuditEntry.actor_id":    "null for the operator's CLI",
	"Notification.report_id": "the report a report notification announces; null otherwise",
	"Invite.expires_at":      "null: never",
	"Account.suspended_at":   "while suspended",
	"Account.suspend_reason": "while suspended",
}
