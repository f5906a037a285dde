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

// distance is the Levenshtein distance between a and b.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
