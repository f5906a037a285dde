package wire

import (
	"encoding/json"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/pamps/pamps/store"
)

// Encode renders v as the API's JSON (bench/bare's bound of GET /post/{id}/
// writes its answers with it too). Posts, the bulk of every list, are
// written by hand: encoding/json's reflection and its check of each
// Timestamp's MarshalJSON output cost more than the database read of a page.
// The bytes are encoding/json's own (TestEncodeMatchesEncodingJSON).
func Encode(v any) ([]byte, error) {
	switch v := v.(type) {
	case store.Post:
		return appendPost(make([]byte, 0, 256), &v), nil
	case []store.Post:
		return appendPosts(make([]byte, 0, 64+384*len(v)), v), nil
	case store.PostDetail:
		b := appendPostFields(make([]byte, 0, 256+256*len(v.Replies)), &v.Post)
		b = append(b, `,"replies":`...)
		return append(appendPosts(b, v.Replies), '}'), nil
	}
	return json.Marshal(v)
}

func appendPosts(b []byte, posts []store.Post) []byte {
	if posts == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i := range posts {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendPost(b, &posts[i])
	}
	return append(b, ']')
}

func appendPost(b []byte, p *store.Post) []byte {
	return append(appendPostFields(b, p), '}')
}

// appendPostFields writes a post object without its closing brace.
func appendPostFields(b []byte, p *store.Post) []byte {
	b = append(b, `{"id":`...)
	b = strconv.AppendInt(b, p.ID, 10)
	b = append(b, `,"text":`...)
	b = appendString(b, p.Text)
	b = append(b, `,"date":"`...)
	b = appendTimestamp(b, p.Date.Time)
	b = append(b, `","user_id":`...)
	b = strconv.AppendInt(b, p.UserID, 10)
	b = append(b, `,"parent_id":`...)
	if p.ParentID == nil {
		b = append(b, "null"...)
	} else {
		b = strconv.AppendInt(b, *p.ParentID, 10)
	}
	b = append(b, `,"username":`...)
	b = appendString(b, p.Username)
	b = append(b, `,"likes":`...)
	b = strconv.AppendInt(b, p.Likes, 10)
	b = append(b, `,"reply_count":`...)
	return strconv.AppendInt(b, p.ReplyCount, 10)
}

// appendString writes s quoted with encoding/json's escapes: the short
// ones, \u00XX for other control characters, HTML-sensitive <, > and & as
// \u003c, \u003e and \u0026, U+2028 and U+2029 escaped, and each byte of
// invalid UTF-8 as \ufffd.
func appendString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '"', '\\':
				b = append(b, '\\', c)
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hex[r&0xf])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// appendTimestamp writes store.TimestampLayout in UTC without the general
// formatter; years outside 0-9999 take the general one.
func appendTimestamp(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, store.TimestampLayout)
	}
	hour, min, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, min, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1000, 6)
	return append(b, 'Z')
}

// appendDigits writes n (not negative) zero-padded to width digits.
func appendDigits(b []byte, n, width int) []byte {
	var d [8]byte
	for i := width - 1; i >= 0; i-- {
		d[i] = byte('0' + n%10)
		n /= 10
	}
	return append(b, d[:width]...)
}
