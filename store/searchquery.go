package store

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxSearchLen is the longest query, in characters (docs/API.md §3c).
const MaxSearchLen = 200

// SearchQuery is a search as its words: all of Words must appear, each of
// Phrases as written, none of Excluded. Parsing never fails: stray quotes
// and operators are read as words, as the contract asks.
type SearchQuery struct {
	Words, Phrases, Excluded []string
}

// ParseSearch reads q: words; "a phrase"; -word excludes it. q must hold
// 1..MaxSearchLen characters and something to look for.
func ParseSearch(q string) (SearchQuery, error) {
	if n := utf8.RuneCountInString(q); n < 1 || n > MaxSearchLen || strings.TrimSpace(q) == "" {
		return SearchQuery{}, invalid("q", "value_error.any_str.max_length", "must hold 1 to %d characters", MaxSearchLen)
	}
	if !utf8.ValidString(q) || strings.ContainsRune(q, 0) {
		return SearchQuery{}, invalid("q", "value_error.encoding", "must be valid UTF-8 without NUL characters")
	}
	var sq SearchQuery
	rest := q
	for rest != "" {
		rest = strings.TrimLeftFunc(rest, unicode.IsSpace)
		if rest == "" {
			break
		}
		if rest[0] == '"' {
			if end := strings.IndexByte(rest[1:], '"'); end >= 0 {
				if p := strings.Join(searchWords(rest[1:1+end]), " "); p != "" {
					sq.Phrases = append(sq.Phrases, p)
				}
				rest = rest[end+2:]
				continue
			}
			rest = rest[1:] // a quote never closed: the words after it are words
			continue
		}
		tok := rest
		if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
			tok, rest = rest[:i], rest[i:]
		} else {
			rest = ""
		}
		if excluded, ok := strings.CutPrefix(tok, "-"); ok && len(searchWords(excluded)) > 0 {
			sq.Excluded = append(sq.Excluded, searchWords(excluded)...)
			continue
		}
		sq.Words = append(sq.Words, searchWords(tok)...)
	}
	return sq, nil
}

// Terms are the words a result shows (what the TUI highlights).
func (sq SearchQuery) Terms() []string {
	out := append([]string(nil), sq.Words...)
	for _, p := range sq.Phrases {
		out = append(out, strings.Fields(p)...)
	}
	return out
}

// Empty says the query has nothing to match: it finds nothing.
func (sq SearchQuery) Empty() bool {
	return len(sq.Words) == 0 && len(sq.Phrases) == 0 && len(sq.Excluded) == 0
}

// searchWords splits text into words as both databases' tokenizers do:
// runs of letters and digits, lower case. Anything else (quotes, operators,
// punctuation) separates words and is never syntax.
func searchWords(text string) []string {
	return strings.FieldsFunc(strings.ToLower(text), func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsNumber(r) })
}

// ftsMatch is the query as an FTS5 expression of quoted strings only
// (a quote inside is doubled): positives, then NOT each excluded one.
// ok is false when there is no positive: FTS5 cannot match a NOT alone.
func (sq SearchQuery) ftsMatch() (positive, excluded string, ok bool) {
	quote := func(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
	var pos, neg []string
	for _, w := range sq.Words {
		pos = append(pos, quote(w))
	}
	for _, p := range sq.Phrases {
		pos = append(pos, quote(p))
	}
	for _, w := range sq.Excluded {
		neg = append(neg, quote(w))
	}
	return strings.Join(pos, " "), strings.Join(neg, " OR "), len(pos) > 0
}
