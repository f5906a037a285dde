package config

import "strings"

// closest returns the known key nearest to key by edit distance, if any is near.
func closest(key string, known map[string]keyInfo) string {
	best, bestDist := "", len(key)/2+2
	for k := range known {
		d := distance(key, k)
		// A bare key ("uri") or section ("secruity") should still find its match.
		if _, leaf, ok := strings.Cut(k, "."); ok {
			if ld := distance(key, leaf); ld < d {
				d = ld
			}
			if sd := distance(key, k[:len(k)-len(leaf)-1]); sd < d {
				d = sd
			}
		}
		if d < bestDist || (d == bestDist && k < best) {
			best, bestDist = k, d
		}
	}
	return best
}

// Nearest is the candidate nearest to word (at most two edits away, or a
// candidate word starts with), or "": what a "did you mean" suggests, for
// settings and the CLI's commands alike.
func Nearest(word string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		d := distance(strings.ToLower(word), strings.ToLower(c))
		if strings.HasPrefix(strings.ToLower(c), strings.ToLower(word)) && len(word) >= 2 {
			d = min(d, 1)
		}
		if d < bestDist || (d == bestDist && c < best) {
			best, bestDist = c, d
		}
	}
	return best
}

// distance is the optimal string alignment distance between a and b:
// Levenshtein's, with a swap of two neighbours as one edit ("lsit" is one
// from "list").
func distance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
