package store

import "strings"

// MaxMentions is how many names one post notifies (docs/API.md §3c).
const MaxMentions = 10

// Mention is one @name in a text: its byte span, the '@' included.
type Mention struct {
	Start, End int
	Name       string // as written
}

// FindMentions finds the @names in text, in order, once, here: the store
// notifies them and the TUI highlights them. A mention is word-bounded:
// the '@' does not follow a name character (an email address is not one),
// the name has a username's shape and length, and what comes after it is
// not a name character; a trailing '.' or '-' is the sentence's, not the
// name's.
func FindMentions(text string) []Mention {
	var out []Mention
	for i := 0; i < len(text); i++ {
		if text[i] != '@' || (i > 0 && (isNameByte(text[i-1]) || text[i-1] >= 0x80)) { // a letter of any script
			continue
		}
		end := i + 1
		for end < len(text) && (isNameByte(text[end]) || text[end] >= 0x80) {
			end++
		}
		if strings.ContainsFunc(text[i+1:end], func(r rune) bool { return r >= 0x80 }) {
			i = end - 1 // "@anné" names no one: no username has an é
			continue
		}
		name := strings.TrimRight(text[i+1:end], ".-")
		if name == "" || name[0] == '.' || name[0] == '-' || len(name) > MaxUsernameLen {
			i = end - 1
			continue
		}
		out = append(out, Mention{Start: i, End: i + 1 + len(name), Name: name})
		i = end - 1
	}
	return out
}

// mentionedNames are the distinct names (lower case) a post notifies: the
// first MaxMentions, in the order they appear.
func mentionedNames(text string) []string {
	var names []string
	seen := map[string]bool{}
	for _, m := range FindMentions(text) {
		n := strings.ToLower(m.Name)
		if seen[n] {
			continue
		}
		seen[n] = true
		if names = append(names, n); len(names) == MaxMentions {
			break
		}
	}
	return names
}

func isNameByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '.' || c == '-'
}
