package tui

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"charm.land/lipgloss/v2"
	"github.com/pamps/pamps/store"
)

// span is a part of a text drawn in a style of its own.
type span struct {
	start, end int
	style      lipgloss.Style
}

// highlight colours a post's @names (found as the store finds the names it
// notifies) and the words of terms (a search's, matched as whole words,
// case ignored, as the search matched them). The text is printable
// already: escaping adds no '@' and no letter runs that were not there.
func highlight(st Styles, text string, terms []string) string {
	var spans []span
	for _, mn := range store.FindMentions(text) {
		spans = append(spans, span{mn.Start, mn.End, st.Mention})
	}
	if len(terms) > 0 {
		want := map[string]bool{}
		for _, t := range terms {
			want[strings.ToLower(t)] = true
		}
		for start := 0; start < len(text); {
			r, size := utf8.DecodeRuneInString(text[start:])
			if !isWordRune(r) {
				start += size
				continue
			}
			end := start
			for end < len(text) {
				r, size := utf8.DecodeRuneInString(text[end:])
				if !isWordRune(r) {
					break
				}
				end += size
			}
			if want[strings.ToLower(text[start:end])] {
				spans = append(spans, span{start, end, st.Match})
			}
			start = end
		}
	}
	if len(spans) == 0 {
		return text
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var b strings.Builder
	at := 0
	for _, sp := range spans {
		if sp.start < at {
			continue // inside one drawn already (a term within an @name)
		}
		b.WriteString(text[at:sp.start])
		b.WriteString(sp.style.Render(text[sp.start:sp.end]))
		at = sp.end
	}
	b.WriteString(text[at:])
	return b.String()
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) }
