package store_test

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/pamps/pamps/store"
)

// FuzzRules: the validation rules never panic, and what they accept can be stored.
func FuzzRules(f *testing.F) {
	for _, s := range []string{"ann", "  hello  ", "", "a\x00b", "\xff\xfe", "me", "Ann.B-c_9", strings.Repeat("é", 281),
		"ann@example.com", "Ann <a@b.c>", "https://example.com/a.png", "javascript:alert(1)", "<script>", "' OR 1=1 --"} {
		f.Add(s)
	}
	rules := store.Rules{}
	f.Fuzz(func(t *testing.T, s string) {
		if text, err := rules.PostText(s); err == nil {
			n := utf8.RuneCountInString(text)
			if n == 0 || n > 280 || text != strings.TrimSpace(text) || !utf8.ValidString(text) || strings.ContainsRune(text, 0) {
				t.Fatalf("accepted text %q", text)
			}
		}
		if err := rules.ValidUsername(s); err == nil {
			if len(s) == 0 || len(s) > 32 || strings.ContainsAny(s, " \x00@/") || !utf8.ValidString(s) {
				t.Fatalf("accepted username %q", s)
			}
		}
		if err := rules.ValidEmail(s); err == nil {
			if !strings.Contains(s, "@") || len(s) > 254 || strings.ContainsRune(s, 0) || !utf8.ValidString(s) {
				t.Fatalf("accepted email %q", s)
			}
		}
		// URL schemes are case-insensitive (RFC 3986): "Http://x" is an http URL.
		if err := rules.ValidAvatar(&s); err == nil && s != "" && !strings.HasPrefix(strings.ToLower(s), "http://") && !strings.HasPrefix(strings.ToLower(s), "https://") {
			t.Fatalf("accepted avatar %q", s)
		}
		if err := rules.ValidBio(&s); err == nil && (strings.ContainsRune(s, 0) || !utf8.ValidString(s)) {
			t.Fatalf("accepted bio %q", s)
		}
		_ = rules.ValidPassword("password", s)
	})
}
