package api

import (
	"reflect"
	"strings"

	"github.com/pamps/pamps/store"
)

// The API's response shapes are the store's structs: their JSON fields make
// the document's schemas (shapeSchema), wire.Encode writes them (its posts by
// hand, TestEncodeMatchesEncodingJSON), and every HTTP test validates its
// responses against the document (TestMain's validator). A field added to
// a struct reaches all three.
var (
	timestampType = reflect.TypeFor[store.Timestamp]()
	postType      = reflect.TypeFor[store.Post]()
	userType      = reflect.TypeFor[store.User]()
	typeType      = reflect.TypeFor[store.NotificationType]()
)

// fieldNotes describe fields beyond their type.
var fieldNotes = map[string]string{
	"User.followers":           "how many follow this user",
	"User.following":           "how many this user follows",
	"Post.parent_id":           "null for a top-level post",
	"Post.username":            "the author's",
	"PostDetail.replies":       "direct replies, oldest first; at most the first 100 (reply_count says how many there are)",
	"Profile.posts":            "how many posts and replies the user wrote",
	"Profile.blocks":           "the usernames this user blocked, most recent first (at most 100)",
	"Profile.mutes":            "the usernames this user muted, most recent first (at most 100)",
	"UserSeen.following":       "whether I follow this user (the count is following_count)",
	"UserSeen.following_count": "how many this user follows",
	"UserSeen.followed_by":     "whether this user follows me",
	"UserSeen.blocked":         "whether I blocked this user",
	"UserSeen.muted":           "whether I muted this user",
	"Mute.notifications":       "their notifications are silenced too",
	"Notification.post":        "reply and mention: the post that replies or names me; like: my post; follow: null",
	"NotificationGroup.key":    "like:<post id> for the likes of a post, follow for the follows, <type>:<notification id> otherwise",
	"NotificationGroup.count":  "how many notifications the group holds",
	"NotificationGroup.actors": "the newest three actors, newest first",
	"NotificationGroup.date":   "the newest notification's",
	"NotificationGroup.read":   "every notification of the group is read",
}

// shapeSchema is the object schema of a struct's JSON fields, embedded
// structs flattened, every field required (the API always writes it).
func shapeSchema(name string, t reflect.Type) obj {
	props, required := obj{}, []string{}
	var walk func(t reflect.Type)
	walk = func(t reflect.Type) {
		for i := range t.NumField() {
			f := t.Field(i)
			tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if f.Anonymous && tag == "" {
				walk(f.Type)
				continue
			}
			if tag == "-" || tag == "" || !f.IsExported() {
				continue
			}
			s := typeSchema(f.Type)
			if note := moderationNotes[name+"."+tag]; note != "" {
				s["description"] = note
			} else if note := fieldNotes[name+"."+tag]; note != "" {
				s["description"] = note
			} else if note := fieldNotes[parentShape(name)+"."+tag]; note != "" {
				s["description"] = note
			}
			if _, dup := props[tag]; !dup {
				required = append(required, tag)
			}
			props[tag] = s
		}
	}
	walk(t)
	return obj{"type": "object", "required": required, "properties": props}
}

// parentShape is the shape whose notes a shape shares (Me is a User).
func parentShape(name string) string {
	switch name {
	case "Me", "Profile", "UserSeen":
		return "User"
	case "PostDetail":
		return "Post"
	}
	return ""
}

// typeSchema is the schema of one Go type as encoding/json writes it.
func typeSchema(t reflect.Type) obj {
	switch {
	case t == timestampType:
		return obj{"type": "string", "format": "date-time", "description": "RFC 3339 in UTC, microsecond precision"}
	case t == userType:
		return ref("User")
	case t == typeType:
		return obj{"type": "string", "enum": store.NotificationTypes()}
	case t.Kind() == reflect.Pointer && t.Elem() == postType: // a Post or null
		return obj{"anyOf": []obj{ref("Post"), {"type": "null"}}}
	case t.Kind() == reflect.Slice && t.Elem() == userType:
		return obj{"type": "array", "items": ref("User")}
	case t.Kind() == reflect.Pointer:
		s := typeSchema(t.Elem())
		s["type"] = []string{s["type"].(string), "null"}
		return s
	case t.Kind() == reflect.Slice && t.Elem() == postType:
		return obj{"type": "array", "items": ref("Post")}
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.String:
		return obj{"type": "array", "items": obj{"type": "string"}}
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int64:
		return obj{"type": "integer", "format": "int64"}
	case reflect.Bool:
		return obj{"type": "boolean"}
	}
	return obj{"type": "string"}
}
